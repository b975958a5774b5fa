package org.grokmetrics.api;

/**
 * The one policy for what grok-metrics contains when a measurement fails, used by
 * {@link ComplexityEstimator#estimateSafely(EstimationContext)}, the monitor (estimators, sinks, its
 * background thread), the DL4J and DJL listeners and the discovery of linear-algebra providers, so that
 * training never sees a measurement's failure.
 *
 * <p><b>Contained</b> (recorded as a NaN estimate with {@link #reason(Throwable) the reason}, logged
 * once, training goes on): every {@link Exception}, and every {@link Error} except those below, in
 * particular {@link LinkageError}s ({@link NoSuchMethodError} or {@link NoClassDefFoundError} from a
 * user's classpath with mismatched library versions, {@link ExceptionInInitializerError}),
 * {@link StackOverflowError} (the stack has unwound to the catch) and {@link OutOfMemoryError} (what the
 * measurement allocated is unreachable once it has unwound; callers drop their own references to it
 * before logging). An {@link InterruptedException} is contained too, but the thread's interrupt flag is
 * set again, so the interrupt is not lost.
 *
 * <p><b>Propagated</b> (rethrown as they are): {@link ThreadDeath}, and every
 * {@link VirtualMachineError} other than {@link OutOfMemoryError} and {@link StackOverflowError}, that
 * is {@link InternalError} and {@link UnknownError}: the virtual machine itself is broken, and carrying
 * on would hide it.
 */
public final class Failures {

    private static final String OUT_OF_MEMORY = OutOfMemoryError.class.getSimpleName();

    private Failures() {
    }

    /**
     * Whether {@code t} may be contained (see the class comment); false only for what must propagate.
     *
     * @param t the throwable caught
     * @return false for {@link ThreadDeath} and for virtual machine errors other than out-of-memory and stack
     *         overflow; true otherwise
     */
    public static boolean containable(Throwable t) {
        if (t instanceof ThreadDeath) {
            return false;
        }
        if (t instanceof VirtualMachineError) {
            return t instanceof OutOfMemoryError || t instanceof StackOverflowError;
        }
        return true;
    }

    /**
     * Contains {@code t}: rethrows it if it must propagate, sets the interrupt flag again if it is an
     * {@link InterruptedException}, and returns its {@linkplain #reason(Throwable) reason}. Call it first in
     * a {@code catch (Throwable t)} block; keep nothing of {@code t} but the returned string.
     *
     * @param t the throwable caught
     * @return its {@linkplain #reason(Throwable) reason}
     * @throws Error {@code t} itself, if {@link #containable(Throwable)} says no
     */
    public static String contain(Throwable t) {
        if (t instanceof Error e && !containable(e)) {
            throw e;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return reason(t);
    }

    /**
     * A one-line reason: the throwable's simple class name, then {@code ": "} and its message if it has one,
     * e.g. {@code "NoSuchMethodError: 'void Foo.bar()'"}; a throwable without a message names its cause
     * ({@code "ExceptionInInitializerError (caused by IllegalStateException: ...)"}). Allocation-light for
     * an {@link OutOfMemoryError}: if even this string cannot be built, the reason is the bare class name.
     *
     * @param t the throwable
     * @return the reason, on one line if the messages are
     */
    public static String reason(Throwable t) {
        try {
            String name = t.getClass().getSimpleName();
            String message = t.getMessage();
            if (message != null) {
                return name + ": " + message;
            }
            Throwable cause = t.getCause();
            return cause == null || cause == t ? name : name + " (caused by " + reason(cause) + ")";
        } catch (OutOfMemoryError again) {
            return OUT_OF_MEMORY;
        }
    }

    /**
     * What kind of failure a reason describes, for logging each kind once: the text before the first
     * {@code ':'} or {@code " ("} (the class name of a throwable's {@link #reason(Throwable) reason}), or
     * the whole reason if it has neither.
     *
     * @param reason a reason, e.g. one {@link #reason(Throwable)} made
     * @return its kind, e.g. {@code "NoSuchMethodError"}
     */
    public static String kind(String reason) {
        int end = reason.length();
        int colon = reason.indexOf(':');
        if (colon >= 0) {
            end = colon;
        }
        int paren = reason.indexOf(" (");
        if (paren >= 0 && paren < end) {
            end = paren;
        }
        return reason.substring(0, end);
    }
}
