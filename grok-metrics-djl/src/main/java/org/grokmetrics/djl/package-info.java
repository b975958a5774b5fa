/**
 * DJL adapter for grok-metrics (tested on the PyTorch engine, CPU, offline).
 *
 * <ul>
 *   <li>{@link org.grokmetrics.djl.ComplexityTrainingListener}: a {@code TrainingListener} that measures
 *       complexity on a schedule and writes the same CSV / JSON-lines columns as the DL4J listener, plus
 *       the trainer's {@code Metrics}.</li>
 *   <li>{@link org.grokmetrics.djl.DjlModels}: weight snapshots, loss oracles, sub-network oracles and
 *       representations, all evaluated through a private parameter store (the model is never written).</li>
 *   <li>{@link org.grokmetrics.djl.LabeledData}: evaluation data copied to host memory once.</li>
 *   <li>{@link org.grokmetrics.djl.SpectralEntropyLoss}: the spectral-entropy penalty as a {@code Loss}
 *       with the exact gradient (SVD in Java).</li>
 *   <li>{@link org.grokmetrics.djl.WeightNoise}: forward and backward at noisy weights, update on the
 *       clean ones.</li>
 * </ul>
 *
 * The module depends on DJL's {@code api} only; the engine (e.g. {@code ai.djl.pytorch:pytorch-engine}
 * with a native library) is the application's choice.
 */
package org.grokmetrics.djl;
