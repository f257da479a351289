package dev.tally.topology.engine;

import dev.tally.schemas.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Remembers each request id's decision for a retention period (by record time), so that a retry gets the
 * first decision and is applied once. Ids are scoped to their entity key: the same id on two workspaces
 * is two requests, because two tasks decide them.
 *
 * <p>A second store orders the ids by decision time, so that expiry walks only what expires, a bounded
 * number per call.
 */
public final class RequestMemory {

    /** Zero-padded so that the text order of the time index is the time order. */
    private static final String TIME_FORMAT = "%019d";
    private static final String SEPARATOR = "|";

    private final KeyValueStore<String, Remembered> byId;
    private final KeyValueStore<String, byte[]> byTime;
    private final long retentionMs;

    public RequestMemory(KeyValueStore<String, Remembered> byId, KeyValueStore<String, byte[]> byTime,
                         long retentionMs) {
        this.byId = byId;
        this.byTime = byTime;
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
        String idKey = idKey(entityKey, requestId);
        byId.put(idKey, remembered);
        byTime.put(String.format(TIME_FORMAT, remembered.decidedAtMs()) + SEPARATOR + idKey, new byte[0]);
    }

    /** Forgets ids decided before {@code nowMs - retention}, at most {@code max}; returns how many. */
    public int expire(long nowMs, int max) {
        long cutoffMs = nowMs - retentionMs;
        String upTo = String.format(TIME_FORMAT, Math.max(0, cutoffMs));
        // Collect first, delete after: the store is not changed under an open iterator.
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> range = byTime.range(null, upTo)) {
            while (range.hasNext() && expired.size() < max) {
                expired.add(range.next().key);
            }
        }
        for (String timeKey : expired) {
            String idKey = timeKey.substring(timeKey.indexOf(SEPARATOR) + 1);
            Remembered current = byId.get(idKey);
            // A later decision under the same id (after an earlier expiry) has its own index entry.
            if (current != null && current.decidedAtMs() <= cutoffMs) {
                byId.delete(idKey);
            }
            byTime.delete(timeKey);
        }
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
