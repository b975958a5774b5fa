/**
 * Examples, reproductions and the {@code grok} command-line tool.
 */
package org.grokmetrics.examples;
