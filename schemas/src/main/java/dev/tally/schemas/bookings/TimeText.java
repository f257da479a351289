package dev.tally.schemas.bookings;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The three spellings of a point in time a booking range accepts: an ISO date (the start of that day in
 * the resource's zone), a local date-time (in the resource's zone), or a date-time with an offset.
 */
public final class TimeText {

    private TimeText() {
    }

    /** Whether {@code text} is one of the three spellings. */
    public static boolean isValid(String text) {
        return text != null && parse(text, ZoneOffset.UTC) != null;
    }

    /** Whether {@code text} names a time without an offset: its instant depends on the resource's zone. */
    public static boolean isLocal(String text) {
        return !(text.endsWith("Z") || text.lastIndexOf('+') > 9 || text.lastIndexOf('-') > 9);
    }

    /** The instant {@code text} names in {@code zone}, or null when it is none of the three spellings. */
    public static Instant parse(String text, ZoneId zone) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(zone).toInstant();
            }
            if (!isLocal(text)) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
