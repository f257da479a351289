package dev.tally.launcher.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Polls a state until it holds, with a deadline: the benchmarks' one way to wait. */
final class Waits {

    private static final long POLL_MS = 10;

    private Waits() {
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void until(Duration timeout, String what, Condition condition) throws Exception {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadlineNs) {
                throw new IllegalStateException(what + ": not within " + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }
}
