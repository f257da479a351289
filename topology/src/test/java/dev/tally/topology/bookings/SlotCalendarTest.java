package dev.tally.topology.bookings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.bookings.SlotSize;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotCalendarTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void a_day_slot_runs_from_local_midnight_to_local_midnight_even_across_a_clock_change() {
        SlotCalendar days = new SlotCalendar(SlotSize.DAY, PARIS);

        // Summer time ends in Paris on 2026-10-25: that day lasts 25 hours.
        Instant start = days.slotStart(Instant.parse("2026-10-25T12:00:00Z"));

        assertThat(start).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
        assertThat(Duration.between(start, days.next(start))).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void the_hour_repeated_at_the_autumn_change_is_two_slots() {
        SlotCalendar hours = new SlotCalendar(SlotSize.HOUR, PARIS);

        List<Instant> slots = hours.slots(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"));

        // 02:00-03:00 local happens twice: at 00:00Z (+02:00) and at 01:00Z (+01:00).
        assertThat(slots).containsExactly(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T01:00:00Z"));
    }

    @Test
    void minute_slots_start_at_local_midnight_and_a_range_takes_every_slot_it_touches() {
        SlotCalendar quarters = new SlotCalendar(SlotSize.ofMinutes(15), ZoneId.of("Asia/Kolkata"));

        List<Instant> slots = quarters.slots(Instant.parse("2026-10-18T03:35:00Z"),
                Instant.parse("2026-10-18T04:01:00Z"));

        // 03:35Z is 09:05 in Kolkata (+05:30): slots 09:00, 09:15, 09:30.
        assertThat(slots).containsExactly(Instant.parse("2026-10-18T03:30:00Z"), Instant.parse("2026-10-18T03:45:00Z"),
                Instant.parse("2026-10-18T04:00:00Z"));
    }

    @Test
    void a_range_past_the_slot_bound_is_refused() {
        SlotCalendar minutes = new SlotCalendar(SlotSize.ofMinutes(1), ZoneId.of("UTC"));

        assertThat(minutes.slots(Instant.parse("2026-10-18T00:00:00Z"), Instant.parse("2026-10-18T16:40:00Z")))
                .hasSize(SlotCalendar.MAX_SLOTS);
        assertThat(minutes.slots(Instant.parse("2026-10-18T00:00:00Z"), Instant.parse("2026-10-18T16:41:00Z"))).isNull();
    }

    @Test
    void minute_slots_count_from_local_midnight_in_elapsed_time_on_a_23_hour_day() {
        SlotCalendar twoHours = new SlotCalendar(SlotSize.ofMinutes(120), PARIS);

        // 2026-03-29 in Paris starts at 23:00Z the day before and lasts 23 hours.
        assertThat(twoHours.slotStart(Instant.parse("2026-03-29T02:30:00Z"))).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(twoHours.next(Instant.parse("2026-03-29T21:00:00Z"))).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        for (Instant at = Instant.parse("2026-03-28T23:00:00Z"); at.isBefore(Instant.parse("2026-03-29T22:00:00Z"));
             at = at.plus(Duration.ofMinutes(7))) {
            Instant start = twoHours.slotStart(at);
            assertThat(at).as("every instant lies in the slot slotStart names").isAfterOrEqualTo(start)
                    .isBefore(twoHours.next(start));
        }
    }
}
