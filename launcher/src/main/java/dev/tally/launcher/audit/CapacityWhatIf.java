package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.bookings.TimeText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replays the booking decisions, in each resource's order, against the capacities of a {@link WhatIfFile}
 * (a resource's own capacity where the file sets none), and lists the decisions that would change. Books,
 * reschedules and cancels are decided again on the replay's own slot usage ({@link ResourceSlots}): a
 * booking refused here is not there for its later reschedule or cancel ({@code BOOKING_NOT_FOUND}), and one
 * accepted here that was refused is. The ranges and ids a decision does not echo come from the request
 * topic ({@link RequestedBookings}); a decision whose request is no longer retained counts as it happened.
 *
 * <p>Counted as they happened, not decided again: a composite's holds and releases (whether a composite is
 * booked depends on its other resources' partitions, which one resource's replay does not see), finds of
 * an existing booking ({@code ALREADY_BOOKED}, {@code DUPLICATE_EXTERNAL_ID}) and refusals for a version,
 * a pending hold or a bad request.
 */
final class CapacityWhatIf {

    private final WhatIfFile file;
    private final RequestedBookings requests;
    private final Map<String, ResourceCalendar> resources = new HashMap<>();
    /** Per resource, the bookings and holds live in the replay. */
    private final Map<String, LiveBookings> live = new HashMap<>();
    /** Per resource, the booking ids the replay cancelled or released. */
    private final Map<String, Set<String>> ended = new HashMap<>();
    private final List<WhatIfChange> changes = new ArrayList<>();
    private long replayed;
    private long asTheyHappened;

    CapacityWhatIf(WhatIfFile file, RequestedBookings requests) {
        this.file = file;
        this.requests = requests;
    }

    void accept(LoggedRecord record) {
        String code = record.text("code");
        String type = record.text("type");
        String resourceId = record.text("resource");
        if (code == null || type == null || resourceId == null) {
            return;
        }
        JsonNode body = record.body();
        if (code.equals("RESOURCE_SET")) {
            ResourceCalendar stated = ResourceCalendar.of(body);
            resources.put(resourceId, file.capacityOf(resourceId).map(stated::withCapacity).orElse(stated));
            return;
        }
        ResourceCalendar resource = resources.get(resourceId);
        if (resource == null) {
            return;
        }
        switch (type) {
            case "book" -> book(record, resourceId, resource, code);
            case "reschedule-booking" -> reschedule(record, resourceId, resource, code);
            case "cancel-booking" -> cancel(record, resourceId, code);
            case "hold-segment" -> {
                asTheyHappened++;
                if (code.equals("SEGMENT_HELD")) {
                    JsonNode hold = body.path("booking");
                    LiveBookings.Held held = resource.held(hold, hold.path("quantity").asLong(), null);
                    live(resourceId).take(hold.path("bookingId").asText(), held);
                }
            }
            case "release-segment" -> {
                asTheyHappened++;
                JsonNode hold = body.path("booking");
                if (hold.isObject()) {
                    end(resourceId, hold.path("bookingId").asText());
                }
            }
            default -> {
                // Confirming a hold changes no slot.
            }
        }
    }

    private void book(LoggedRecord record, String resourceId, ResourceCalendar resource, String code) {
        Optional<RequestedBookings.Requested> request = requests.of(resourceId, record.text("requestId"));
        JsonNode booking = record.body().path("booking");
        String bookingId;
        LiveBookings.Held held;
        if (code.equals("BOOKED")) {
            bookingId = booking.path("bookingId").asText();
            held = resource.held(booking, booking.path("quantity").asLong(), null);
        } else if (code.equals("AVAILABILITY_CONFLICT") && request.isPresent()) {
            bookingId = request.get().bookingId();
            held = requestedRange(resource, request.get(), request.get().quantity());
        } else {
            asTheyHappened++;
            return;
        }
        replayed++;
        boolean fits = live(resourceId).fits(held, resource.capacity(), null);
        if (fits) {
            live(resourceId).take(bookingId, held);
        }
        compare(record, resourceId + " book " + range(record, request) + " quantity " + held.quantity(), code,
                fits ? "BOOKED" : "AVAILABILITY_CONFLICT");
    }

    private void reschedule(LoggedRecord record, String resourceId, ResourceCalendar resource, String code) {
        Optional<RequestedBookings.Requested> request = requests.of(resourceId, record.text("requestId"));
        boolean decidedOnSlots = code.equals("RESCHEDULED") || code.equals("AVAILABILITY_CONFLICT")
                || code.equals("BOOKING_NOT_FOUND");
        if (!decidedOnSlots || (!code.equals("RESCHEDULED") && request.isEmpty())) {
            asTheyHappened++;
            return;
        }
        replayed++;
        JsonNode booking = record.body().path("booking");
        String bookingId = booking.isObject() ? booking.path("bookingId").asText() : request.get().bookingId();
        LiveBookings.Held before = live(resourceId).live(bookingId);
        String subject = resourceId + " reschedule " + bookingId + " to " + range(record, request);
        if (before == null) {
            compare(record, subject, code, ended(resourceId).contains(bookingId) ? "BOOKING_CANCELLED"
                    : "BOOKING_NOT_FOUND");
            return;
        }
        LiveBookings.Held moved = code.equals("RESCHEDULED")
                ? resource.held(booking, before.quantity(), null)
                : requestedRange(resource, request.get(), before.quantity());
        // Its own quantity in a slot it keeps does not count against the move (README, Bookings).
        boolean fits = live(resourceId).fits(moved, resource.capacity(), before);
        if (fits) {
            live(resourceId).take(bookingId, moved);
        }
        compare(record, subject, code, fits ? "RESCHEDULED" : "AVAILABILITY_CONFLICT");
    }

    private void cancel(LoggedRecord record, String resourceId, String code) {
        Optional<RequestedBookings.Requested> request = requests.of(resourceId, record.text("requestId"));
        JsonNode booking = record.body().path("booking");
        boolean decidedOnBookings = code.equals("CANCELLED") || code.equals("BOOKING_NOT_FOUND");
        if (!decidedOnBookings || (!booking.isObject() && request.isEmpty())) {
            asTheyHappened++;
            return;
        }
        replayed++;
        String bookingId = booking.isObject() ? booking.path("bookingId").asText() : request.get().bookingId();
        // Cancelling a cancelled booking answers CANCELLED again and changes nothing.
        boolean known = live(resourceId).live(bookingId) != null || ended(resourceId).contains(bookingId);
        end(resourceId, bookingId);
        compare(record, resourceId + " cancel " + bookingId, code, known ? "CANCELLED" : "BOOKING_NOT_FOUND");
    }

    private void end(String resourceId, String bookingId) {
        if (live(resourceId).end(bookingId) != null) {
            ended(resourceId).add(bookingId);
        }
    }

    private LiveBookings live(String resourceId) {
        return live.computeIfAbsent(resourceId, r -> new LiveBookings());
    }

    private Set<String> ended(String resourceId) {
        return ended.computeIfAbsent(resourceId, r -> new HashSet<>());
    }

    /** The range a request asked for, read in the resource's zone as the engine read it. */
    private static LiveBookings.Held requestedRange(ResourceCalendar resource, RequestedBookings.Requested request,
                                                    long quantity) {
        return resource.held(TimeText.parse(request.from(), resource.slots().zone()),
                TimeText.parse(request.to(), resource.slots().zone()), quantity, null);
    }

    /** The range as the decision states it (an accepted one), else as its request wrote it. */
    private static String range(LoggedRecord record, Optional<RequestedBookings.Requested> request) {
        JsonNode booking = record.body().path("booking");
        if (!"AVAILABILITY_CONFLICT".equals(record.text("code")) && booking.isObject()) {
            return booking.path("from").asText() + ".." + booking.path("to").asText();
        }
        return request.map(r -> r.from() + ".." + r.to()).orElse("?");
    }

    private void compare(LoggedRecord record, String subject, String was, String wouldBe) {
        if (!was.equals(wouldBe)) {
            changes.add(new WhatIfChange(record.position(), record.text("requestId"), subject, was, wouldBe));
        }
    }

    long replayed() {
        return replayed;
    }

    long asTheyHappened() {
        return asTheyHappened;
    }

    List<WhatIfChange> changes() {
        return changes;
    }
}
