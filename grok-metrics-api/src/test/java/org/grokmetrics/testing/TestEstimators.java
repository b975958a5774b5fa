package org.grokmetrics.testing;

import java.util.Objects;
import java.util.function.Function;

import org.grokmetrics.api.ComplexityEstimate;
import org.grokmetrics.api.ComplexityEstimator;
import org.grokmetrics.api.EstimationContext;
import org.grokmetrics.api.MeasureUnit;

/** Small estimators for adapter and monitor tests: spies, stubs and failing ones. */
public final class TestEstimators {

    private TestEstimators() {
    }

    /** An estimator with the given name and unit whose estimate is {@code body}. */
    public static ComplexityEstimator of(String name, MeasureUnit unit,
                                         Function<EstimationContext, ComplexityEstimate> body) {
        Objects.requireNonNull(body, "body");
        return new ComplexityEstimator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public MeasureUnit unit() {
                return unit;
            }

            @Override
            public ComplexityEstimate estimate(EstimationContext context) {
                return body.apply(context);
            }
        };
    }

    /** An estimator that always throws {@link IllegalStateException} with {@code message}. */
    public static ComplexityEstimator throwing(String name, String message) {
        return of(name, MeasureUnit.BITS, ctx -> {
            throw new IllegalStateException(message);
        });
    }
}
