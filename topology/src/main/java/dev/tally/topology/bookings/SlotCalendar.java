package dev.tally.topology.bookings;

import dev.tally.schemas.bookings.SlotSize;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The slots of a resource in its time zone. Days start at local midnight (a day may last 23 or 25 hours
 * across a daylight-saving change); hours and minute slots are counted on the time line from there, so
 * an hour repeated at the autumn change is two slots.
 */
public final class SlotCalendar {

    /** Most slots one booking or read may span: bounds the work and the record of one decision. */
    public static final int MAX_SLOTS = 1_000;

    private final SlotSize size;
    private final ZoneId zone;

    public SlotCalendar(SlotSize size, ZoneId zone) {
        this.size = size;
        this.zone = zone;
    }

    /** The start of the slot {@code at} falls in. */
    public Instant slotStart(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        ZonedDateTime dayStart = local.toLocalDate().atStartOfDay(zone);
        return switch (size.kind()) {
            case DAY -> dayStart.toInstant();
            case HOUR -> local.truncatedTo(ChronoUnit.HOURS).toInstant();
            case MINUTES -> {
                int minuteOfDay = local.toLocalTime().toSecondOfDay() / 60;
                int slotMinute = minuteOfDay - minuteOfDay % size.minutes();
                yield ZonedDateTime.of(local.toLocalDate(), LocalTime.ofSecondOfDay(slotMinute * 60L), zone)
                        .toInstant();
            }
        };
    }

    /** The start of the slot after the one starting at {@code slotStart}. */
    public Instant next(Instant slotStart) {
        ZonedDateTime start = slotStart.atZone(zone);
        return switch (size.kind()) {
            case DAY -> start.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            case HOUR -> slotStart.plus(1, ChronoUnit.HOURS);
            case MINUTES -> slotAfter(slotStart);
        };
    }

    /** Minute slots restart at each local midnight, so that they stay aligned across offset changes. */
    private Instant slotAfter(Instant slotStart) {
        Instant next = slotStart.plus(size.minutes(), ChronoUnit.MINUTES);
        Instant nextDay = slotStart.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
        return next.isAfter(nextDay) ? nextDay : next;
    }

    /**
     * The starts of every slot {@code [from, to)} touches, in order; null when there are more than
     * {@link #MAX_SLOTS}.
     */
    public List<Instant> slots(Instant from, Instant to) {
        List<Instant> starts = new ArrayList<>();
        for (Instant start = slotStart(from); start.isBefore(to); start = next(start)) {
            if (starts.size() == MAX_SLOTS) {
                return null;
            }
            starts.add(start);
        }
        return starts;
    }
}
