package dev.tally.topology.bookings;

import dev.tally.schemas.bookings.SlotSize;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The slots of a resource in its time zone. Days start at local midnight (a day may last 23 or 25 hours
 * across a daylight-saving change); hours and minute slots are counted in elapsed time from there, so an
 * hour repeated at the autumn change is two slots, and a day's last slot may be cut short at midnight.
 * {@link #slotStart} and {@link #next} count the same way, so every instant lies in exactly one slot.
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
        Instant dayStart = at.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        if (size.kind() == SlotSize.Kind.DAY) {
            return dayStart;
        }
        long slotMs = size.minutes() * 60_000L;
        long elapsedMs = at.toEpochMilli() - dayStart.toEpochMilli();
        return dayStart.plusMillis(elapsedMs - elapsedMs % slotMs);
    }

    /** The start of the slot after the one starting at {@code slotStart}. */
    public Instant next(Instant slotStart) {
        Instant nextDay = slotStart.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
        if (size.kind() == SlotSize.Kind.DAY) {
            return nextDay;
        }
        Instant next = slotStart.plus(size.minutes(), ChronoUnit.MINUTES);
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
