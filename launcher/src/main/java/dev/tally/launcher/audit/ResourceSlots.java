package dev.tally.launcher.audit;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A resource's slots as the contract defines them (README, Bookings), written for the audit: a day starts
 * at local midnight in the resource's time zone; hours and minute slots count elapsed time from there and
 * end at the next midnight; a booking of {@code [from, to)} takes every slot it touches.
 */
record ResourceSlots(long minutes, ZoneId zone) {

    /** {@code minutes} 0 stands for DAY. */
    static ResourceSlots of(String slot, String timezone) {
        long minutes = switch (slot) {
            case "DAY" -> 0;
            case "HOUR" -> 60;
            default -> Long.parseLong(slot);
        };
        return new ResourceSlots(minutes, ZoneId.of(timezone));
    }

    /** The starts of the slots {@code [from, to)} touches, in order. */
    List<Instant> touched(Instant from, Instant to) {
        List<Instant> starts = new ArrayList<>();
        Instant day = from.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        Instant start = day;
        if (minutes > 0) {
            long slotMs = minutes * 60_000;
            long elapsedMs = from.toEpochMilli() - day.toEpochMilli();
            start = day.plusMillis(elapsedMs - elapsedMs % slotMs);
        }
        while (start.isBefore(to)) {
            starts.add(start);
            Instant nextDay = start.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            Instant next = minutes == 0 ? nextDay : start.plusSeconds(minutes * 60);
            start = next.isAfter(nextDay) ? nextDay : next;
        }
        return starts;
    }
}
