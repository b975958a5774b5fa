/**
 * The {@code grok} command line (picocli): {@code inspect} a safetensors file, {@code bench} the
 * estimators. Every command has {@code --help}.
 */
package org.grokmetrics.examples.cli;
