package org.grokmetrics.api;

/** The unit of a complexity estimate's value. */
public enum MeasureUnit {
    /** Bits of a description (compressed size &times; 8, or an entropy in log base 2). */
    BITS("bits"),
    /** Natural-log information units (spectral entropy). */
    NATS("nats"),
    /** A count of parameters (pruning MDL). */
    PARAMETERS("parameters"),
    /** A pure number (effective rank, linear mapping number). */
    DIMENSIONLESS("");

    private final String symbol;

    MeasureUnit(String symbol) {
        this.symbol = symbol;
    }

    /**
     * The short symbol used in tables and CSV headers; empty for dimensionless values.
     *
     * @return the symbol, e.g. {@code "bits"}; {@code ""} for {@link #DIMENSIONLESS}
     */
    public String symbol() {
        return symbol;
    }
}
