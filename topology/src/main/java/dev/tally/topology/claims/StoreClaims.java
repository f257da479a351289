package dev.tally.topology.claims;

import dev.tally.topology.engine.TimeKeys;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Live claims in one store, and an index of the PENDING ones by the end of their hold in another, so
 * that finding the holds that ran out reads only those, not every claim. Index keys are the hold's end
 * ({@link TimeKeys}), '|', and the claim's key.
 */
public final class StoreClaims implements ClaimRecords {

    private static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<String, ClaimState> claims;
    private final KeyValueStore<String, byte[]> holds;

    public StoreClaims(KeyValueStore<String, ClaimState> claims, KeyValueStore<String, byte[]> holds) {
        this.claims = claims;
        this.holds = holds;
    }

    @Override
    public ClaimState get(String key) {
        return claims.get(key);
    }

    @Override
    public void put(String key, ClaimState before, ClaimState after) {
        if (before != null && before.isPending() && before.holdUntilMs() != after.holdUntilMs()) {
            holds.delete(holdKey(before.holdUntilMs(), key));
        }
        claims.put(key, after);
        if (after.isPending()) {
            holds.put(holdKey(after.holdUntilMs(), key), PRESENT);
        }
    }

    @Override
    public void delete(String key, ClaimState before) {
        claims.delete(key);
        if (before.isPending()) {
            holds.delete(holdKey(before.holdUntilMs(), key));
        }
    }

    @Override
    public List<Held> holdsEndingBy(long atMs, int max) {
        List<Held> due = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> earliestFirst = holds.all()) {
            while (earliestFirst.hasNext() && due.size() < max) {
                KeyValue<String, byte[]> next = earliestFirst.next();
                long holdUntilMs = TimeKeys.decode(next.key, 0);
                if (holdUntilMs > atMs) {
                    break;
                }
                String key = next.key.substring(TimeKeys.LENGTH + 1);
                ClaimState claim = claims.get(key);
                if (claim != null && claim.isPending() && claim.holdUntilMs() == holdUntilMs) {
                    due.add(new Held(key, claim));
                } else {
                    // An entry whose claim moved on cannot be ended; left, it would be read again every time.
                    stale.add(next.key);
                }
            }
        }
        stale.forEach(holds::delete);
        return due;
    }

    static String holdKey(long holdUntilMs, String key) {
        return TimeKeys.encode(holdUntilMs) + "|" + key;
    }
}
