package org.grokmetrics.linalg;

import java.util.List;
import java.util.Objects;

/**
 * Which linear algebra {@link LinearAlgebra#getDefault()} uses, and why: what {@code grok inspect} shows
 * and what is logged (INFO) once per JVM when it is first needed.
 *
 * @param linearAlgebra the implementation in use
 * @param how           how it was chosen, in one line (e.g. {@code "nd4j-lapack+ejml: passed its self-check
 *                      (41 ms); every result verified, ejml as fallback"})
 * @param rejected      one line per provider found but not used, with the reason (empty if none)
 */
public record LinearAlgebraSelection(LinearAlgebra linearAlgebra, String how, List<String> rejected) {

    /**
     * Validates and copies.
     *
     * @param linearAlgebra the implementation in use (not null)
     * @param how           how it was chosen, in one line (not null)
     * @param rejected      one line per provider found but not used (not null; copied)
     */
    public LinearAlgebraSelection {
        Objects.requireNonNull(linearAlgebra, "linearAlgebra");
        Objects.requireNonNull(how, "how");
        rejected = List.copyOf(rejected);
    }

    /**
     * {@link #how()} followed by the rejected providers, in one line.
     *
     * @return the description
     */
    public String describe() {
        return rejected.isEmpty() ? how : how + "; rejected " + String.join("; ", rejected);
    }
}
