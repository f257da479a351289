package dev.tally.schemas.bookings;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The length of a resource's slots: a calendar day or hour in the resource's time zone, or a number of
 * minutes that divides a day (slots then start at local midnight and every {@code minutes} after). In
 * JSON: {@code "DAY"}, {@code "HOUR"} or the number of minutes.
 */
public record SlotSize(Kind kind, int minutes) {

    public enum Kind { DAY, HOUR, MINUTES }

    public static final SlotSize DAY = new SlotSize(Kind.DAY, 24 * 60);
    public static final SlotSize HOUR = new SlotSize(Kind.HOUR, 60);
    private static final int MINUTES_PER_DAY = 24 * 60;

    public SlotSize {
        if (kind == Kind.MINUTES && (minutes < 1 || MINUTES_PER_DAY % minutes != 0)) {
            throw new IllegalArgumentException("slot minutes must divide a day (1440): " + minutes);
        }
    }

    public static SlotSize ofMinutes(int minutes) {
        return new SlotSize(Kind.MINUTES, minutes);
    }

    @JsonCreator
    static SlotSize fromJson(Object json) {
        if (json instanceof String text) {
            return switch (text) {
                case "DAY" -> DAY;
                case "HOUR" -> HOUR;
                default -> throw new IllegalArgumentException("slot must be DAY, HOUR or a number of minutes");
            };
        }
        if (json instanceof Integer minutes) {
            return ofMinutes(minutes);
        }
        throw new IllegalArgumentException("slot must be DAY, HOUR or a number of minutes");
    }

    /** {@code "DAY"}, {@code "HOUR"} or the number of minutes, as in JSON. */
    @JsonValue
    public Object toJson() {
        return kind == Kind.MINUTES ? Integer.valueOf(minutes) : kind.name();
    }
}
