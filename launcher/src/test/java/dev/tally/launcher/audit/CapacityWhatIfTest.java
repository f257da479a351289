package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The capacity what-if on hand-made logs: each request is written to the request topic and its decision,
 * as the engine words it, to the decision topic; the replay reads the requests first, as the audit does.
 */
class CapacityWhatIfTest {

    private static final String NINE = "2026-12-01T09:00:00Z";
    private static final String TEN = "2026-12-01T10:00:00Z";
    private static final String ELEVEN = "2026-12-01T11:00:00Z";

    private final HandMadeLog log = new HandMadeLog("t.");
    private final List<LoggedRecord> requests = new ArrayList<>();
    private final List<LoggedRecord> decisions = new ArrayList<>();

    private void request(String json) {
        requests.add(log.record("bookings.requests", "desk", json));
    }

    private void decision(String json) {
        decisions.add(log.record("bookings.decisions", "desk", json));
    }

    private void resource(long capacity, String slot, String zone) {
        decision("{\"requestId\":\"set\",\"type\":\"define-resource\",\"code\":\"RESOURCE_SET\",\"resource\":\"desk\","
                + "\"capacity\":" + capacity + ",\"slot\":\"" + slot + "\",\"timezone\":\"" + zone + "\"}");
    }

    private static String booking(String id, String from, String to) {
        return "\"booking\":{\"bookingId\":\"" + id + "\",\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"quantity\":1}";
    }

    /** A book request of quantity 1 (booking id = request id) and its decision, booked or refused. */
    private void book(String requestId, String from, String to, boolean booked) {
        request("{\"type\":\"book\",\"requestId\":\"" + requestId + "\",\"resource\":\"desk\",\"from\":\"" + from
                + "\",\"to\":\"" + to + "\",\"quantity\":1}");
        decision("{\"requestId\":\"" + requestId + "\",\"type\":\"book\",\"resource\":\"desk\",\"code\":\""
                + (booked ? "BOOKED\"," + booking(requestId, from, to) : "AVAILABILITY_CONFLICT\"") + "}");
    }

    private void cancel(String requestId, String bookingId, boolean found) {
        request("{\"type\":\"cancel-booking\",\"requestId\":\"" + requestId + "\",\"resource\":\"desk\","
                + "\"bookingId\":\"" + bookingId + "\"}");
        decision("{\"requestId\":\"" + requestId + "\",\"type\":\"cancel-booking\",\"resource\":\"desk\",\"code\":\""
                + (found ? "CANCELLED\"," + booking(bookingId, NINE, TEN) : "BOOKING_NOT_FOUND\"") + "}");
    }

    private CapacityWhatIf replay(String file) {
        RequestedBookings requested = new RequestedBookings();
        requests.forEach(requested::accept);
        CapacityWhatIf replay = new CapacityWhatIf(WhatIfFile.parse(List.of(file)), requested);
        decisions.forEach(replay::accept);
        return replay;
    }

    @Test
    void aHigherCapacityTurnsTheFirstConflictsIntoBookings() {
        // Given five bookings of one hour of a desk that holds 2: b0 and b1 booked, b2 to b4 refused
        resource(2, "HOUR", "UTC");
        for (int i = 0; i < 5; i++) {
            book("b" + i, NINE, TEN, i < 2);
        }

        // When they are replayed against a capacity of 4
        CapacityWhatIf replay = replay("capacity desk 4");

        // Then b2 and b3 would be booked, b4 still refused
        assertThat(replay.replayed()).isEqualTo(5);
        assertThat(replay.changes()).extracting(WhatIfChange::requestId, WhatIfChange::was, WhatIfChange::wouldBe)
                .containsExactly(tuple("b2", "AVAILABILITY_CONFLICT", "BOOKED"),
                        tuple("b3", "AVAILABILITY_CONFLICT", "BOOKED"));
        assertThat(replay.changes().get(0).subject()).isEqualTo("desk book " + NINE + ".." + TEN + " quantity 1");
    }

    @Test
    void aLowerCapacityRefusesTheLastBookingAndItsLaterCancelFindsNothing() {
        resource(2, "HOUR", "UTC");
        book("b0", NINE, TEN, true);
        book("b1", NINE, TEN, true);
        cancel("c1", "b1", true);
        cancel("c0", "b0", true);

        CapacityWhatIf replay = replay("capacity desk 1");

        assertThat(replay.changes()).extracting(WhatIfChange::requestId, WhatIfChange::wouldBe)
                .containsExactly(tuple("b1", "AVAILABILITY_CONFLICT"), tuple("c1", "BOOKING_NOT_FOUND"));
    }

    @Test
    void aBookingTheReplayAcceptsCanBeCancelledThoughTheLogFoundNothing() {
        resource(1, "HOUR", "UTC");
        book("b0", NINE, TEN, true);
        book("b1", NINE, TEN, false);
        cancel("c1", "b1", false);
        // After b1's cancel the replay's hour is back to 1 of 2: one more booking fits there, two do not
        book("b2", NINE, TEN, false);
        book("b3", NINE, TEN, false);

        CapacityWhatIf replay = replay("capacity desk 2");

        assertThat(replay.changes()).extracting(WhatIfChange::requestId, WhatIfChange::was, WhatIfChange::wouldBe)
                .containsExactly(tuple("b1", "AVAILABILITY_CONFLICT", "BOOKED"),
                        tuple("c1", "BOOKING_NOT_FOUND", "CANCELLED"),
                        tuple("b2", "AVAILABILITY_CONFLICT", "BOOKED"));
    }

    @Test
    void aMoveDoesNotCountItsOwnQuantityInTheSlotsItKeepsAndAMoveThatNoLongerFitsKeepsTheOldRange() {
        resource(2, "HOUR", "UTC");
        book("b0", NINE, TEN, true);
        book("b1", TEN, ELEVEN, true);
        // b0 stretched over 09:00 to 11:00: at capacity 1 it keeps 09:00 (its own) but 10:00 is b1's
        request("{\"type\":\"reschedule-booking\",\"requestId\":\"m0\",\"resource\":\"desk\",\"bookingId\":\"b0\","
                + "\"from\":\"" + NINE + "\",\"to\":\"" + ELEVEN + "\"}");
        decision("{\"requestId\":\"m0\",\"type\":\"reschedule-booking\",\"resource\":\"desk\",\"code\":\"RESCHEDULED\","
                + booking("b0", NINE, ELEVEN) + "}");
        // Then a third booking of 10:00: at capacity 1 the hour is still b1's alone
        book("b2", TEN, ELEVEN, false);

        assertThat(replay("capacity desk 2").changes()).isEmpty();
        assertThat(replay("capacity desk 1").changes()).extracting(WhatIfChange::requestId, WhatIfChange::wouldBe)
                .containsExactly(tuple("m0", "AVAILABILITY_CONFLICT"));
        // Moving within its own hour fits even at capacity 1
        decisions.clear();
        requests.clear();
        resource(1, "HOUR", "UTC");
        book("b0", NINE, "2026-12-01T09:30:00Z", true);
        request("{\"type\":\"reschedule-booking\",\"requestId\":\"m1\",\"resource\":\"desk\",\"bookingId\":\"b0\","
                + "\"from\":\"2026-12-01T09:30:00Z\",\"to\":\"" + TEN + "\"}");
        decision("{\"requestId\":\"m1\",\"type\":\"reschedule-booking\",\"resource\":\"desk\",\"code\":\"RESCHEDULED\","
                + booking("b0", "2026-12-01T09:30:00Z", TEN) + "}");
        assertThat(replay("capacity desk 1").changes()).isEmpty();
    }

    @Test
    void aRefusedRangeIsReadInTheResourcesZoneFromItsRequest() {
        // Given a room of 1 a night in Paris: the night of the 19th booked, then refused to a stay written as
        // local dates; the night of the 20th booked, then refused to a second guest
        resource(1, "DAY", "Europe/Paris");
        book("b0", "2026-10-18T22:00:00Z", "2026-10-19T22:00:00Z", true);
        book("b1", "2026-10-19", "2026-10-20", false);
        book("b2", "2026-10-19T22:00:00Z", "2026-10-20T22:00:00Z", true);
        book("b3", "2026-10-19T22:00:00Z", "2026-10-20T22:00:00Z", false);

        // When the room holds 2
        CapacityWhatIf replay = replay("capacity desk 2");

        // Then the stay takes the 19th only, so the second guest of the 20th fits too (read in UTC, the stay
        // would run from 02:00 on the 19th to 02:00 on the 20th in Paris, take both nights and leave b3 refused)
        assertThat(replay.changes()).extracting(WhatIfChange::requestId, WhatIfChange::wouldBe)
                .containsExactly(tuple("b1", "BOOKED"), tuple("b3", "BOOKED"));
    }

    @Test
    void compositeHoldsAndDecisionsWithoutTheirRequestCountAsTheyHappened() {
        resource(2, "HOUR", "UTC");
        // A composite held both places of the hour
        for (int i = 0; i < 2; i++) {
            decision("{\"requestId\":\"h" + i + "\",\"type\":\"hold-segment\",\"resource\":\"desk\",\"code\":"
                    + "\"SEGMENT_HELD\"," + booking("composite:c:" + i, NINE, TEN) + "}");
        }
        // A refused booking whose request the topic no longer holds
        decision("{\"requestId\":\"gone\",\"type\":\"book\",\"resource\":\"desk\",\"code\":\"AVAILABILITY_CONFLICT\"}");
        // One hold released, then a booking that got its place
        decision("{\"requestId\":\"r1\",\"type\":\"release-segment\",\"resource\":\"desk\",\"code\":"
                + "\"SEGMENT_RELEASED\"," + booking("composite:c:1", NINE, TEN) + "}");
        book("b0", NINE, TEN, true);

        // At capacity 1 the holds stay (over it), so the booking would not fit; at 3 nothing the log refused fits
        CapacityWhatIf lower = replay("capacity desk 1");
        assertThat(lower.changes()).extracting(WhatIfChange::requestId, WhatIfChange::wouldBe)
                .containsExactly(tuple("b0", "AVAILABILITY_CONFLICT"));
        assertThat(lower.replayed()).isEqualTo(1);
        assertThat(lower.asTheyHappened()).isEqualTo(4);
        assertThat(replay("capacity desk 3").changes()).isEmpty();
    }

    @Test
    void otherResourcesKeepTheirOwnCapacity() {
        resource(1, "HOUR", "UTC");
        book("b0", NINE, TEN, true);
        book("b1", NINE, TEN, false);

        assertThat(replay("capacity room 5").changes()).isEmpty();
    }
}
