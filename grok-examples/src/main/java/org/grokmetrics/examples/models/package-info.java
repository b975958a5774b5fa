/**
 * Small models in plain Java used by benchmarks and tests where no framework is wanted: the LMN
 * paper's MLP on a+b mod p, evaluated from a {@link org.grokmetrics.api.ParameterSnapshot}.
 */
package org.grokmetrics.examples.models;
