package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** I2 slot by slot on hand-made logs, and the audit's own reading of a resource's calendar. */
class CapacityPerResourceTest {

    private final CapacityPerResource check = new CapacityPerResource();
    private final HandMadeLog log = new HandMadeLog("t.");

    private LoggedRecord decision(String json) {
        return log.record("bookings.decisions", "desk", json);
    }

    private LoggedRecord resource(long capacity, String slot) {
        return decision("{\"code\":\"RESOURCE_SET\",\"resource\":\"desk\",\"capacity\":" + capacity + ",\"slot\":"
                + slot + ",\"timezone\":\"UTC\"}");
    }

    private LoggedRecord booked(String id, String from, String to) {
        return decision("{\"code\":\"BOOKED\",\"resource\":\"desk\",\"booking\":{\"bookingId\":\"" + id + "\",\"from\":\""
                + from + "\",\"to\":\"" + to + "\",\"quantity\":1}}");
    }

    @Test
    void twoBookingsThatShareAnHourWithoutOverlappingPassAnHourlyCapacityOfOne() {
        check.accept(resource(1, "\"HOUR\""));
        LoggedRecord first = booked("b1", "2026-12-01T09:15:00Z", "2026-12-01T09:30:00Z");
        LoggedRecord second = booked("b2", "2026-12-01T09:45:00Z", "2026-12-01T10:00:00Z");
        check.accept(first);
        check.accept(second);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.what()).contains("holds 2 of 1 in the slot starting 2026-12-01T09:00:00Z");
            assertThat(violation.positions()).containsExactlyInAnyOrder(first.position(), second.position());
        });
    }

    @Test
    void thirtyMinuteSlotsKeepThemApartAndACancelFreesItsSlots() {
        check.accept(resource(1, "30"));
        check.accept(booked("b1", "2026-12-01T09:15:00Z", "2026-12-01T09:30:00Z"));
        check.accept(booked("b2", "2026-12-01T09:45:00Z", "2026-12-01T10:00:00Z"));
        check.accept(decision("{\"code\":\"CANCELLED\",\"resource\":\"desk\",\"booking\":{\"bookingId\":\"b1\"}}"));
        check.accept(booked("b3", "2026-12-01T09:00:00Z", "2026-12-01T09:30:00Z"));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("3 taken, 1 ended");
    }

    @Test
    void aDayInParisIsTwentyFiveHoursLongWhenTheClocksGoBack() {
        ResourceSlots days = ResourceSlots.of("DAY", "Europe/Paris");
        ResourceSlots hours = ResourceSlots.of("HOUR", "Europe/Paris");
        Instant from = Instant.parse("2026-10-24T22:00:00Z");
        Instant to = Instant.parse("2026-10-25T23:00:00Z");

        assertThat(days.touched(from, to)).containsExactly(from);
        assertThat(hours.touched(from, to)).hasSize(25);
        assertThat(ResourceSlots.of("HOUR", "UTC").touched(Instant.parse("2026-12-01T09:59:00Z"),
                Instant.parse("2026-12-01T10:01:00Z"))).containsExactly(Instant.parse("2026-12-01T09:00:00Z"),
                Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(days.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }
}
