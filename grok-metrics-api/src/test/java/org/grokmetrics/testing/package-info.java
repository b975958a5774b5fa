/**
 * A small property-test harness on plain JUnit 5 (shipped to the other modules as a test-jar).
 *
 * <p>jqwik's maintainers ask that it not be used with AI coding agents from 1.10 on, and this project is
 * built with AI assistance, so properties are {@link org.grokmetrics.testing.PropertyTest}s: JUnit 5
 * parameterized tests over seeded random generators. Each case's display name carries its seed
 * ({@code seed=0x...}); to replay one failing case run the test with {@code -Dgrokmetrics.seed=0x...}.
 */
package org.grokmetrics.testing;
