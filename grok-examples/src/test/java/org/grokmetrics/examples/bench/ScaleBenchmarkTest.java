package org.grokmetrics.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the scale suite reports when a child JVM fails: the exception, not the last stack frame. */
final class ScaleBenchmarkTest {

    @Test
    void aFailedCaseIsReportedByItsExceptionLine() {
        String out = "INFO linear algebra: ejml\n"
                + "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n"
                + "\tat org.grokmetrics.compress.CodeProduct.add(CodeProduct.java:50)\n"
                + "\tat java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)\n";
        assertEquals("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space", ScaleBenchmark.failure(out));
        assertEquals("killed", ScaleBenchmark.failure("starting\nkilled\n"));
    }
}
