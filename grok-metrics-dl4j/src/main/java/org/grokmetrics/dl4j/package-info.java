/**
 * Deeplearning4j adapter for grok-metrics (DL4J 1.0.0-M2.1; the ND4J backend is the application's choice).
 *
 * <ul>
 *   <li>{@link org.grokmetrics.dl4j.ComplexityListener}: a {@code TrainingListener} for a
 *       {@code MultiLayerNetwork} or {@code ComputationGraph} that measures complexity on a schedule and
 *       writes the shared CSV / JSON-lines columns (docs/monitoring.md).</li>
 *   <li>{@link org.grokmetrics.dl4j.Dl4jData}: train and validation data as DL4J holds them (DataSet,
 *       MultiDataSet, their iterators), streamed batch by batch, with a seeded fixed subset.</li>
 *   <li>{@link org.grokmetrics.dl4j.Dl4jModels}: snapshots, the model's own loss (its output layers' loss
 *       functions, no regularization) and accuracy where defined
 *       ({@link org.grokmetrics.dl4j.Dl4jModels.Evaluation}), loss and sub-network oracles, representations;
 *       the listener uses one {@code Dl4jModelView} per model, which resolves the model's kind, parameter
 *       tables and LMN cut once and evaluates on a private clone loaded only when the weights changed.</li>
 *   <li>{@link org.grokmetrics.dl4j.SpectralEntropyRegularization} and
 *       {@link org.grokmetrics.dl4j.Dl4jRegularization}: the spectral-entropy penalty, weight decay and
 *       weight noise, exactly once per layer.</li>
 *   <li>{@link org.grokmetrics.dl4j.Nd4jLinearAlgebra}: ND4J's LAPACK ({@code gesvd}, {@code syev}) as a
 *       {@link org.grokmetrics.linalg.LinearAlgebra} provider, discovered automatically but used only after it
 *       passes {@link org.grokmetrics.linalg.LinearAlgebraSelfCheck}, with every result verified
 *       (ND4J 1.0.0-M2.1's OpenBLAS is wrong with its AVX-512 kernels; docs/measures.md).</li>
 * </ul>
 *
 * <p>The listener's guarantees: training is never changed (weights are copied, everything is evaluated on
 * the clone, ND4J's per-thread random state is restored: final parameters bit-identical, with weight noise
 * or dropout too); a failing estimator is NaN with its reason, logged once per kind; a failing sink is
 * switched off; nothing is thrown into {@code fit}, errors included ({@link org.grokmetrics.api.Failures}).
 */
package org.grokmetrics.dl4j;
