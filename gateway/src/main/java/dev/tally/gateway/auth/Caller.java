package dev.tally.gateway.auth;

import java.util.List;

/**
 * Who makes a call, once their API key or token is verified: a name for logs, meters and the rate limit,
 * and what they may act on.
 */
public record Caller(String name, List<Grant> grants) {

    /** What a caller may do with one entity. */
    public enum Reach {
        /** They may read and change the entity, and manage it if that was asked. */
        ALLOWED,
        /** Their grants cover the entity but not its management: 403. */
        NOT_MANAGER,
        /** Their grants do not cover the entity: to them it does not exist (404). */
        UNKNOWN
    }

    public Caller {
        grants = List.copyOf(grants);
    }

    /** Whether the caller reaches that normalised claim value of that scope. */
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
