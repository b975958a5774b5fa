/**
 * The grokking papers' transformer on DJL (PyTorch engine): {@link org.grokmetrics.examples.djl.ModularTransformer}
 * (post-LayerNorm {@link org.grokmetrics.examples.djl.DecoderLayer}s), the run configuration
 * {@link org.grokmetrics.examples.djl.TransformerConfig}, the trainer that writes run folders
 * ({@link org.grokmetrics.examples.djl.TransformerTrainer}) and the presets of DeMoss et al. and the
 * pruning-MDL study ({@link org.grokmetrics.examples.djl.TransformerReproductions}).
 */
package org.grokmetrics.examples.djl;
