package dev.tally.launcher;

/** Closing what a command started, in the order given, so that nothing is cut off from what it talks to. */
public final class ClosingOrder {

    private ClosingOrder() {
    }

    /**
     * Closes each part (nulls skipped) even when an earlier one fails, then throws the first failure with the
     * others suppressed in it.
     */
    public static void close(AutoCloseable... parts) {
        RuntimeException failure = null;
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
