/**
 * Deeplearning4j adapter for grok-metrics.
 *
 * <p>{@link org.grokmetrics.dl4j.Nd4jLinearAlgebra} plugs ND4J's LAPACK ({@code gesvd}, {@code syev})
 * into the core {@link org.grokmetrics.linalg.LinearAlgebra} SPI; it is discovered automatically when
 * this module is on the class path. Training listeners, loss oracles and the spectral-entropy
 * regularization follow in this package.
 */
package org.grokmetrics.dl4j;
