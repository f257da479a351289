package dev.tally.topology.claims;

import java.util.List;

/**
 * Where {@link ClaimBook} keeps live claims, by key {@code scope/value}, and finds the holds that run out.
 * An interface so that the rules are tested without Kafka; the engine's implementation is
 * {@link StoreClaims}. Writes take the claim as it was before, which the book has already read: one
 * read of a key per request, however many writes follow.
 */
public interface ClaimRecords {

    /** The stored claim, or null. Does not look at holds: an expired hold is still returned until removed. */
    ClaimState get(String key);

    /** Stores {@code after} in place of {@code before} (null when the key was free). */
    void put(String key, ClaimState before, ClaimState after);

    /** Removes the claim {@code before}, which the key holds now. */
    void delete(String key, ClaimState before);

    /** PENDING claims whose hold ends at or before {@code atMs}, earliest first, at most {@code max}. */
    List<Held> holdsEndingBy(long atMs, int max);

    /** A claim under its key. */
    record Held(String key, ClaimState claim) {
    }
}
