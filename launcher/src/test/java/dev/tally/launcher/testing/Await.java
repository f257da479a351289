package dev.tally.launcher.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on state with a deadline, never a fixed sleep: fast when things are fast, a clear failure when not. */
public final class Await {

    private static final long POLL_MS = 20;

    private Await() {
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, condition, () -> what);
    }

    /** @param why describes what was awaited and what was seen, for the failure message */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> why) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNs) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + why.get());
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + why.get(), e);
            }
        }
    }
}
