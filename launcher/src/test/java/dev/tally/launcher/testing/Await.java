package dev.tally.launcher.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits on state with a deadline, never a fixed sleep: fast when things are fast, a clear failure when not.
 * Awaitility polls; this names what was awaited and what was seen when the deadline passes.
 */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, condition, () -> what);
    }

    /** @param why describes what was awaited and what was seen, for the failure message */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> why) {
        until(timeout, POLL, condition, why);
    }

    /** @param poll how often to look: longer for a condition that costs much to evaluate (reading whole topics) */
    public static void until(Duration timeout, Duration poll, BooleanSupplier condition, Supplier<String> why) {
        try {
            // In the caller's thread: conditions read Kafka consumers and other state confined to it.
            Awaitility.await().atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(poll)
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within " + timeout.toMillis() + " ms: " + why.get(), e);
        }
    }
}
