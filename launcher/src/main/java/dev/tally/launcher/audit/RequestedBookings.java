package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the retained book, reschedule and cancel requests asked for, by resource and requestId: the part
 * a decision does not echo. A refused booking's decision names the full slot but not the range it asked
 * for, and a cancel of an unknown booking names no booking; a what-if that would decide them otherwise
 * needs the request. Request ids are unique per resource, so they are kept per resource.
 */
final class RequestedBookings {

    /** One request's booking id, range as written (resolved in the resource's zone later) and quantity. */
    record Requested(String bookingId, String from, String to, long quantity) {
    }

    private static final Set<String> KEPT = Set.of("book", "reschedule-booking", "cancel-booking");

    private final Map<String, Requested> byRequest = new HashMap<>();

    void accept(LoggedRecord record) {
        String type = record.text("type");
        String resource = record.text("resource");
        String requestId = record.text("requestId");
        if (type == null || !KEPT.contains(type) || resource == null || requestId == null) {
            return;
        }
        JsonNode body = record.body();
        // A book request's booking id defaults to its requestId (README, Bookings).
        String bookingId = body.path("bookingId").isTextual() ? body.path("bookingId").asText()
                : type.equals("book") ? requestId : null;
        byRequest.put(resource + "|" + requestId, new Requested(bookingId, record.text("from"), record.text("to"),
                body.path("quantity").asLong()));
    }

    /** The request a decision answered, if the request topic still holds it. */
    Optional<Requested> of(String resource, String requestId) {
        return Optional.ofNullable(byRequest.get(resource + "|" + requestId));
    }
}
