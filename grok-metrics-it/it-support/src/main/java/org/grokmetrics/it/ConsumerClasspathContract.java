package org.grokmetrics.it;

import org.junit.jupiter.api.Test;

/**
 * The classpath every consumer must resolve, whatever it depends on: each consumer's test class implements
 * this interface and so runs these tests on its own classpath.
 */
public interface ConsumerClasspathContract {

    /** commons-io 2.16+ for commons-compress (DL4J brings 2.7). */
    @Test
    default void resolvesTheCommonsIoThatCommonsCompressNeeds() {
        ClasspathChecks.assertCommonsIoForCommonsCompress();
    }

    /** DJL's gson (DL4J brings 2.8.0, which DJL cannot use and which has CVE-2022-25647). */
    @Test
    default void resolvesDjlsGsonWithoutCve202225647() {
        ClasspathChecks.assertGsonForDjl();
    }

    /** bzip2 through grok-metrics-api's codec: the coarse-grained compressor's paper mode uses it. */
    @Test
    default void bzip2RoundTripsThroughTheApisCodec() {
        ClasspathChecks.assertBzip2RoundTrips();
    }
}
