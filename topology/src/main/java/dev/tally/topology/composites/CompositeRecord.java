package dev.tally.topology.composites;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.schemas.Json;
import dev.tally.schemas.bookings.BookComposite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A composite as the coordinator stores it: its state, the callers waiting for its decision, and the
 * decision once made. JSON, because composites are few next to bookings and their shape will change.
 *
 * @param requestedAtMs the record timestamp of the request that started the composite, from which its
 *                      decision's latency is measured. Null in a record stored before it was kept, and
 *                      dropped once decided: a decided record is kept for good, and without the field it
 *                      reads in an engine built before it too (a pending one does not: like the engine's
 *                      other stores, an older engine refuses what a newer one wrote rather than misread it)
 */
public record CompositeRecord(BookComposite request, String fingerprint, Long requestedAtMs, List<String> answers,
                              String status, long deadlineMs, List<Waiter> waiters, String decision) {

    /** Most callers one composite answers: retries racing the first call, bounded like every list. */
    static final int MAX_WAITERS = 16;

    /** A waiting gateway call: the replies partition it reads and its correlation id. */
    public record Waiter(String partition, String correlationId) {
    }

    public CompositeRecord {
        waiters = waiters == null ? List.of() : List.copyOf(waiters);
    }

    static CompositeRecord of(CompositeCoordinator.State state, String fingerprint, Long requestedAtMs,
                              List<Waiter> waiters, String decision) {
        return new CompositeRecord(state.request(), fingerprint, requestedAtMs, Arrays.asList(state.answers()),
                state.status().name(), state.deadlineMs(), waiters, decision);
    }

    CompositeCoordinator.State state() {
        return new CompositeCoordinator.State(request, answers.toArray(new String[0]),
                CompositeCoordinator.Status.valueOf(status), deadlineMs);
    }

    CompositeRecord withWaiter(Waiter waiter) {
        if (waiters.size() >= MAX_WAITERS) {
            return this;
        }
        List<Waiter> more = new ArrayList<>(waiters);
        more.add(waiter);
        return new CompositeRecord(request, fingerprint, requestedAtMs, answers, status, deadlineMs, more, decision);
    }

    public byte[] toBytes() {
        try {
            return Json.mapper().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CompositeRecord fromBytes(byte[] bytes) {
        try {
            return Json.mapper().readValue(bytes, CompositeRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
