package dev.tally.gateway.auth;

import java.util.List;

/**
 * A key as the gateway keeps it: a name for logs and meters, the SHA-256 of the secret (never the secret),
 * and what it may act on.
 */
public record ApiKey(String name, String sha256Hex, List<Grant> grants) {

    /** What a key may do with one entity. */
    public enum Reach {
        /** It may read and change the entity, and manage it if that was asked. */
        ALLOWED,
        /** It covers the entity but not its management: 403. */
        NOT_MANAGER,
        /** It does not cover the entity: to this key it does not exist (404). */
        UNKNOWN
    }

    public ApiKey {
        grants = List.copyOf(grants);
    }

    /** Whether the key reaches that normalised claim value of that scope. */
    public boolean reachesClaim(String scope, String value) {
        return grants.stream().anyMatch(grant -> grant.coversClaim(scope, value));
    }

    public Reach reach(Grant.Kind kind, String id, boolean manage) {
        boolean covered = false;
        for (Grant grant : grants) {
            if (grant.covers(kind, id)) {
                if (grant.manage() || !manage) {
                    return Reach.ALLOWED;
                }
                covered = true;
            }
        }
        return covered ? Reach.NOT_MANAGER : Reach.UNKNOWN;
    }
}
