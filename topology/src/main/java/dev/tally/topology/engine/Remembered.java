package dev.tally.topology.engine;

/**
 * A decision kept for retries: the fingerprint of the request body it answered (without its id), when it
 * was decided (record time), its code, and the exact bytes sent, so a retry gets the same answer.
 */
public record Remembered(String fingerprint, long decidedAtMs, String code, byte[] decision) {
}
