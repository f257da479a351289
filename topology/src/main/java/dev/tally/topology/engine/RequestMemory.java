package dev.tally.topology.engine;

import dev.tally.schemas.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Remembers each request id's decision for a retention period (by record time), so that a retry gets the
 * first decision and is applied once. Ids are scoped to their entity key: the same id on two workspaces
 * is two requests, because two tasks decide them.
 *
 * <p>Forgetting is a sweep: each call to {@link #sweep} walks on through the store from where the last one
 * stopped, wrapping at the end, and deletes what is past retention. It visits twice as many ids as were
 * remembered since the last sweep, so it laps the store at least once per half retention and an id
 * outlives its retention by at most half of it. A second store ordered by time would find expired ids
 * without walking, but would cost a write and a changelog record for every request; the walk costs
 * reads only.
 */
public final class RequestMemory {

    private static final String SEPARATOR = "|";
    /** Visited per sweep even when nothing new was remembered, so an idle task still forgets. */
    static final int MIN_VISITS_PER_SWEEP = 1_000;

    private final KeyValueStore<String, Remembered> byId;
    private final long retentionMs;
    private String cursor;
    private long rememberedSinceSweep;

    public RequestMemory(KeyValueStore<String, Remembered> byId, long retentionMs) {
        this.byId = byId;
        this.retentionMs = retentionMs;
    }

    /** The remembered decision of this id if it is still within retention at {@code atMs}, else null. */
    public Remembered recall(String entityKey, String requestId, long atMs) {
        Remembered remembered = byId.get(idKey(entityKey, requestId));
        if (remembered == null || atMs - remembered.decidedAtMs() > retentionMs) {
            return null;
        }
        return remembered;
    }

    public void remember(String entityKey, String requestId, Remembered remembered) {
        byId.put(idKey(entityKey, requestId), remembered);
        rememberedSinceSweep++;
    }

    /** Deletes ids decided before {@code nowMs - retention} among the next ones in key order; returns how many. */
    public int sweep(long nowMs) {
        long cutoffMs = nowMs - retentionMs;
        long visits = Math.max(MIN_VISITS_PER_SWEEP, 2 * rememberedSinceSweep);
        rememberedSinceSweep = 0;
        // Collect first, delete after: the store is not changed under an open iterator.
        List<String> expired = new ArrayList<>();
        String last = null;
        boolean reachedEnd = true;
        try (KeyValueIterator<String, Remembered> walk = byId.range(cursor, null)) {
            long visited = 0;
            while (walk.hasNext()) {
                if (visited == visits) {
                    reachedEnd = false;
                    break;
                }
                KeyValue<String, Remembered> next = walk.next();
                visited++;
                last = next.key;
                if (next.value.decidedAtMs() <= cutoffMs) {
                    expired.add(next.key);
                }
            }
        }
        // The range is inclusive: starting again at the last key visits it twice, which is harmless.
        cursor = reachedEnd ? null : last;
        expired.forEach(byId::delete);
        return expired.size();
    }

    /** A digest of the request body without its id: equal bodies, equal fingerprints. */
    public static String fingerprint(Object requestWithoutId) {
        try {
            byte[] canonical = Json.mapper().writeValueAsBytes(requestWithoutId);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return Base64.getEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint a request", e);
        }
    }

    private static String idKey(String entityKey, String requestId) {
        return entityKey + SEPARATOR + requestId;
    }
}
