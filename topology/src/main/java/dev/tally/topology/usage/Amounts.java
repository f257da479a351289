package dev.tally.topology.usage;

/**
 * Sums that stop at {@link Long#MAX_VALUE} instead of wrapping: a limit made of many packages and boosts,
 * or usage past a soft limit, must never wrap round to read as room.
 */
final class Amounts {

    private Amounts() {
    }

    static long add(long a, long b) {
        long sum = a + b;
        // Overflow only if both have the sign the sum lacks; amounts here are never negative.
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** The least amount of usage that reaches {@code percent} of {@code limit}, without overflow. */
    static long percentOf(long limit, int percent) {
        return (limit / 100) * percent + ((limit % 100) * percent + 99) / 100;
    }
}
