package org.grokmetrics.testing;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.AnnotationConsumer;

/** Supplies the seeds of a {@link PropertyTest}. */
public final class SeedArgumentsProvider implements ArgumentsProvider, AnnotationConsumer<PropertyTest> {

    private int cases;
    private long base;

    @Override
    public void accept(PropertyTest annotation) {
        cases = annotation.cases();
        base = annotation.seed();
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
        String only = System.getProperty("grokmetrics.seed");
        if (only != null && !only.isBlank()) {
            return Stream.of(Arguments.of(new Seed(Long.decode(only.trim()))));
        }
        int n = Integer.getInteger("grokmetrics.cases", cases);
        // derive per-method seeds so two properties with the same base still see different cases
        long methodSalt = context.getRequiredTestMethod().toGenericString().hashCode();
        SplittableRandom r = new SplittableRandom(base ^ (methodSalt * 0x9E3779B97F4A7C15L));
        return Stream.generate(() -> Arguments.of(new Seed(r.nextLong()))).limit(n);
    }
}
