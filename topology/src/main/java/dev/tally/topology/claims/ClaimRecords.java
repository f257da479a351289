package dev.tally.topology.claims;

import java.util.List;

/**
 * Where {@link ClaimBook} keeps live claims, by key {@code scope/value}, and finds the holds that run out.
 * An interface so that the rules are tested without Kafka; the engine's implementation is
 * {@link StoreClaims}.
 */
public interface ClaimRecords {

    /** The stored claim, or null. Does not look at holds: an expired hold is still returned until removed. */
    ClaimState get(String key);

    void put(String key, ClaimState claim);

    void delete(String key);

    /** Keys of PENDING claims whose hold ends at or before {@code atMs}, earliest first, at most {@code max}. */
    List<String> holdsEndingBy(long atMs, int max);
}
