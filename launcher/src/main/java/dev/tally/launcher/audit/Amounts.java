package dev.tally.launcher.audit;

/** Sums of amounts, counters and limits in the usage model. */
final class Amounts {

    private Amounts() {
    }

    /** Amounts here are never negative but for a release's give-back; a sum past the largest long stops there. */
    static long sum(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException past) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }
}
