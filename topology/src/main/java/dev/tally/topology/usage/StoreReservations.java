package dev.tally.topology.usage;

import dev.tally.topology.engine.TimeKeys;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reservations by {@code workspace|reservationId} in one store, and an index by due time in another
 * ({@link TimeKeys}, '|', the reservation's key), so that finding what is due reads only that.
 *
 * <p>{@link #earliestDueMs} is kept in memory so that every request can ask it for nothing: it starts
 * unknown (read from the index on first use, which also covers a task restored from its changelog), only
 * moves earlier on a write, and is read again from the index after each walk.
 */
final class StoreReservations implements ReservationStore {

    private static final byte[] PRESENT = new byte[0];
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final KeyValueStore<String, Reservation> reservations;
    private final KeyValueStore<String, byte[]> dueIndex;
    private long earliestDueMs = UNKNOWN;

    StoreReservations(KeyValueStore<String, Reservation> reservations, KeyValueStore<String, byte[]> dueIndex) {
        this.reservations = reservations;
        this.dueIndex = dueIndex;
    }

    @Override
    public Reservation get(String workspace, String reservationId) {
        return reservations.get(key(workspace, reservationId));
    }

    @Override
    public void put(String workspace, String reservationId, Reservation before, Reservation after) {
        String key = key(workspace, reservationId);
        if (before != null && before.dueMs() != after.dueMs()) {
            dueIndex.delete(indexKey(before.dueMs(), key));
        }
        reservations.put(key, after);
        dueIndex.put(indexKey(after.dueMs(), key), PRESENT);
        if (earliestDueMs != UNKNOWN) {
            earliestDueMs = Math.min(earliestDueMs, after.dueMs());
        }
    }

    @Override
    public void delete(String workspace, String reservationId, Reservation before) {
        String key = key(workspace, reservationId);
        reservations.delete(key);
        dueIndex.delete(indexKey(before.dueMs(), key));
    }

    @Override
    public List<Due> dueBy(long atMs, int max) {
        List<Due> due = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        long next = Long.MAX_VALUE;
        try (KeyValueIterator<String, byte[]> earliestFirst = dueIndex.all()) {
            while (earliestFirst.hasNext()) {
                String indexKey = earliestFirst.next().key;
                long dueMs = TimeKeys.decode(indexKey, 0);
                if (dueMs > atMs || due.size() >= max) {
                    next = dueMs;
                    break;
                }
                String key = indexKey.substring(TimeKeys.LENGTH + 1);
                Reservation reservation = reservations.get(key);
                if (reservation != null && reservation.dueMs() == dueMs) {
                    int bar = key.indexOf('|');
                    due.add(new Due(key.substring(0, bar), key.substring(bar + 1), reservation));
                } else {
                    // An entry whose reservation moved on; left, it would be read again every time.
                    stale.add(indexKey);
                }
            }
        }
        stale.forEach(dueIndex::delete);
        // The caller acts on every entry returned, and each action moves or removes its index entry.
        earliestDueMs = due.isEmpty() ? next : UNKNOWN;
        return due;
    }

    @Override
    public long earliestDueMs() {
        if (earliestDueMs == UNKNOWN) {
            try (KeyValueIterator<String, byte[]> earliestFirst = dueIndex.all()) {
                earliestDueMs = earliestFirst.hasNext() ? TimeKeys.decode(earliestFirst.next().key, 0)
                        : Long.MAX_VALUE;
            }
        }
        return earliestDueMs;
    }

    private static String key(String workspace, String reservationId) {
        return workspace + '|' + reservationId;
    }

    private static String indexKey(long dueMs, String key) {
        return TimeKeys.encode(dueMs) + "|" + key;
    }
}
