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
 * <p><b>The listener's steps.</b> DJL calls {@code onTrainingBatch} after the backward pass and before
 * {@code trainer.step()}, so the listener counts steps itself (one per training batch) and measures the
 * weights after step s when the next batch, the end of the epoch or the end of training arrives: the
 * weights a user would see after that step. A measurement at step 0 (before training) is taken with
 * {@link org.grokmetrics.djl.ComplexityTrainingListener#measureNow(ai.djl.Model, long, int)}.
 *
 * <p><b>Training is never changed.</b> Weights are copied out; losses, accuracies and oracles run the
 * model's block through a private parameter store in inference mode (see {@link org.grokmetrics.djl.DjlModels}); nothing is
 * written to the model and DJL's random generators are not touched, so attaching the (synchronous)
 * listener leaves the final parameters bit-identical. In {@link org.grokmetrics.djl.ComplexityTrainingListener.Builder#async(boolean) asynchronous}
 * mode the training logic is equally untouched, but on DJL 0.35.1 / PyTorch 2.7.1 any allocation on
 * another thread can change the training's floating-point results (docs/monitoring.md): use the
 * default synchronous mode when runs must repeat exactly. Estimator failures become NaN with a reason
 * (logged once per kind); a failing sink is logged and switched off; nothing is ever thrown into training,
 * errors included: linkage errors, stack overflow and out of memory are contained, as
 * {@link org.grokmetrics.api.Failures} says.
 *
 * <p><b>Outputs.</b> The same CSV / JSON-lines columns as the DL4J listener (docs/monitoring.md), a
 * bounded {@link org.grokmetrics.djl.ComplexityTrainingListener#history()}, and, when the trainer has {@link ai.djl.metric.Metrics}, one metric per
 * estimator ({@code grok.<estimator>}), per detail ({@code grok.<estimator>.<detail>}) and per tensor
 * ({@code grok.<estimator>.<tensor>}, dimension {@code layer}), each with a {@code step} dimension. They
 * are added on the training thread at the next callback after the measurement finishes.
 *
 * <p>The module depends on DJL's {@code api} only; the engine (e.g. {@code ai.djl.pytorch:pytorch-engine}
 * with a native library) is the application's choice.
 */
package org.grokmetrics.djl;
