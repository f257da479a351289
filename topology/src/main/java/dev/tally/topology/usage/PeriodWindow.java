package dev.tally.topology.usage;

import dev.tally.schemas.usage.Period;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The calendar window (UTC) of a period that holds an instant. LIFETIME is one window with no bounds.
 * Windows are computed from the record's time, never from the clock of the machine deciding.
 */
public record PeriodWindow(Period period, long startMs, long endMs) {

    /** LIFETIME's single window: start and end are not reported. */
    public static final long UNBOUNDED = Long.MIN_VALUE;

    public static PeriodWindow of(Period period, long atMs) {
        if (period == Period.LIFETIME) {
            return new PeriodWindow(period, UNBOUNDED, UNBOUNDED);
        }
        ZonedDateTime at = Instant.ofEpochMilli(atMs).atZone(ZoneOffset.UTC);
        ZonedDateTime start;
        ZonedDateTime end;
        switch (period) {
            case HOUR -> {
                start = at.truncatedTo(ChronoUnit.HOURS);
                end = start.plusHours(1);
            }
            case DAY -> {
                start = at.truncatedTo(ChronoUnit.DAYS);
                end = start.plusDays(1);
            }
            case MONTH -> {
                start = at.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
                end = start.plusMonths(1);
            }
            default -> throw new IllegalArgumentException("unknown period " + period);
        }
        return new PeriodWindow(period, start.toInstant().toEpochMilli(), end.toInstant().toEpochMilli());
    }

    /** The window that starts at {@code startMs} (a start this class computed earlier). */
    public static PeriodWindow startingAt(Period period, long startMs) {
        return period == Period.LIFETIME ? of(period, 0) : of(period, startMs);
    }

    public Instant start() {
        return startMs == UNBOUNDED ? null : Instant.ofEpochMilli(startMs);
    }

    public Instant end() {
        return endMs == UNBOUNDED ? null : Instant.ofEpochMilli(endMs);
    }
}
