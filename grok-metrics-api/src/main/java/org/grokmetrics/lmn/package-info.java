/**
 * The linear mapping number (Liu, Zhong, Tegmark, <i>Grokking as Compression</i>, 2023): how many
 * linear pieces a sub-network effectively uses on the data. See
 * {@link org.grokmetrics.lmn.LinearMappingNumber} for the formula.
 */
package org.grokmetrics.lmn;
