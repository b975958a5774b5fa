/**
 * Spectral entropy of weight matrices (DeMoss et al., after Roy &amp; Vetterli 2007) and its gradient,
 * the basis of the spectral-entropy penalty that makes networks grok.
 *
 * <p>For a matrix M with singular values &sigma;<sub>i</sub> and S = &Sigma;&sigma;<sub>j</sub>:
 * &sigma;&#772;<sub>i</sub> = &sigma;<sub>i</sub>/S,
 * H(M) = &minus;&Sigma; &sigma;&#772;<sub>i</sub> ln &sigma;&#772;<sub>i</sub> (nats), effective rank
 * exp(H). The gradient is &part;H/&part;M = U diag(&minus;(ln &sigma;&#772;<sub>i</sub> + H)/S) V&#7488;.
 * See {@link org.grokmetrics.spectral.SpectralEntropy} for the exact conventions.
 */
package org.grokmetrics.spectral;
