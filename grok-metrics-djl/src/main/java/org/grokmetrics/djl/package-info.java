/**
 * DJL (PyTorch engine) adapter for grok-metrics: training listener, loss and function oracles,
 * spectral-entropy loss and weight noise. Work in progress: see the project's issue tracker.
 */
package org.grokmetrics.djl;
