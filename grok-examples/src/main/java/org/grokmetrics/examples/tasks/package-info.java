/**
 * The algorithmic tasks of the grokking papers: a&#8728;b mod p for a prime p, composition in the
 * symmetric group S<sub>k</sub>, and n-bit bitwise XOR, with seeded, reproducible train/validation splits.
 */
package org.grokmetrics.examples.tasks;
