package org.grokmetrics.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A property checked on {@link #cases()} seeded random cases. The test method takes one {@link Seed}
 * parameter; the case's display name shows the seed. Seeds derive from {@link #seed()} and the case
 * index, so runs are reproducible; {@code -Dgrokmetrics.seed=N} (decimal or 0x-hex) runs only seed N,
 * and {@code -Dgrokmetrics.cases=K} overrides the count everywhere (longer soak runs).
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@ArgumentsSource(SeedArgumentsProvider.class)
public @interface PropertyTest {

    /** Number of random cases. */
    int cases() default 100;

    /** Base seed from which the case seeds derive. */
    long seed() default 0x6A09E667F3BCC908L;
}
