/**
 * Pruning-based minimum description length (seed 004): MDL(&theta;) &asymp; |{w &isin; &theta; : |w| &gt; &epsilon;}|,
 * and the grokking analysis around it (grokking point, MDL transition point, MDL&ndash;accuracy
 * correlation, transition rate, generalisation gap) over recorded time series.
 */
package org.grokmetrics.mdl;
