package dev.tally.topology.usage;

/**
 * What one scope and feature holds: its limit and the usage recorded in the current period.
 *
 * <p>{@code periodStartMs} only moves forward. A record whose time falls before the current period (a
 * late record from a gateway with a slow clock) is charged to the current period: closing a period and
 * reopening it would let usage in twice.
 */
public record Account(LimitSpec limit, long periodStartMs, long used) {

    public static Account opened(LimitSpec limit, long atMs) {
        return new Account(limit, PeriodWindow.of(limit.period(), atMs).startMs(), 0);
    }

    /** This account as seen at {@code atMs}: a new period starts empty. */
    public Account at(long atMs) {
        PeriodWindow window = PeriodWindow.of(limit.period(), atMs);
        if (window.startMs() > periodStartMs) {
            return new Account(limit, window.startMs(), 0);
        }
        return this;
    }

    public PeriodWindow window() {
        return PeriodWindow.startingAt(limit.period(), periodStartMs);
    }

    public Account charged(long amount) {
        return new Account(limit, periodStartMs, used + amount);
    }

    /**
     * A new limit applies from now on. Usage already recorded in the current period stays; if the period
     * kind changes, the usage so far is carried into the new kind's current window, which errs on the side
     * of rejecting rather than of letting a period's usage in twice.
     */
    public Account withLimit(LimitSpec newLimit, long atMs) {
        Account rolled = at(atMs);
        long start = PeriodWindow.of(newLimit.period(), atMs).startMs();
        return new Account(newLimit, newLimit.period() == limit.period() ? rolled.periodStartMs : start,
                rolled.used);
    }

    public long remaining() {
        return Math.max(0, limit.limit() - used);
    }
}
