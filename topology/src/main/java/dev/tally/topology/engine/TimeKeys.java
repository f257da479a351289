package dev.tally.topology.engine;

/**
 * Store keys that sort by time: epoch milliseconds as 16 hex digits with the sign bit flipped, so that
 * text order is time order (before 1970 too) and a range or a walk from the start reads them earliest
 * first. Used by every store indexed by time (claim holds, composite deadlines, booked slots).
 */
public final class TimeKeys {

    /** Characters {@link #encode} writes. */
    public static final int LENGTH = 16;

    private TimeKeys() {
    }

    /** Built by hand: keys are made for every hold, deadline and booked slot, on the hot path. */
    public static String encode(long epochMs) {
        String hex = Long.toHexString(epochMs ^ Long.MIN_VALUE);
        return "0".repeat(LENGTH - hex.length()) + hex;
    }

    /** The time {@link #encode} wrote into the first {@link #LENGTH} characters of {@code key} at {@code from}. */
    public static long decode(String key, int from) {
        return Long.parseUnsignedLong(key.substring(from, from + LENGTH), 16) ^ Long.MIN_VALUE;
    }
}
