package dev.tally.schemas.bookings;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.DateTimeException;
import java.time.temporal.ChronoUnit;

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

    /** Years 1 to 9999: every such instant fits in epoch milliseconds, which the stores count in. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * The instant {@code text} names in {@code zone}, truncated to the millisecond (what is stored), or
     * null when it is none of the three spellings or outside the years 1 to 9999.
     */
    public static Instant parse(String text, ZoneId zone) {
        Instant instant;
        try {
            if (text.length() == 10) {
                instant = LocalDate.parse(text).atStartOfDay(zone).toInstant();
            } else if (!isLocal(text)) {
                instant = OffsetDateTime.parse(text).toInstant();
            } else {
                instant = LocalDateTime.parse(text).atZone(zone).toInstant();
            }
        } catch (DateTimeException e) {
            return null;
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            return null;
        }
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
