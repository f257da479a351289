package dev.tally.topology.claims;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.claims.ClaimDecision;
import dev.tally.schemas.claims.ClaimKeys;
import dev.tally.schemas.claims.ClaimRequest;
import dev.tally.schemas.claims.ClaimStatus;
import dev.tally.schemas.claims.ConfirmClaim;
import dev.tally.schemas.claims.CreateClaim;
import dev.tally.schemas.claims.GetOrCreateClaim;
import dev.tally.schemas.claims.ReadClaim;
import dev.tally.schemas.claims.ReleaseClaim;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules of claims, in plain Java: who gets a value, who may confirm or release it, when a hold ends.
 * One book serves one task; every request it sees is for a key that task owns, one at a time, so a check
 * and the write that follows it can never be split by another request (I3: at most one live owner).
 *
 * <p>Holds run on one clock, the engine's ({@code clockMs}): a hold ends {@code holdSeconds} after the
 * engine decided it, whatever the producers' clocks say. {@link #liveAt} ends a hold that ran out before
 * a request for its key is decided, {@link #expireDue} when no request comes. Everything else is stamped
 * with the request's record time.
 */
public final class ClaimBook {

    private final ClaimRecords records;

    public ClaimBook(ClaimRecords records) {
        this.records = records;
    }

    /**
     * The live claim on {@code key} when the engine's clock reads {@code clockMs}, read once for the request
     * about to be decided. A hold that ran out by then is ended first, and its expiry event added to
     * {@code events}.
     */
    public ClaimState liveAt(String key, long clockMs, List<ClaimDecision> events) {
        ClaimState stored = records.get(key);
        if (stored == null || !stored.holdExpiredAt(clockMs)) {
            return stored;
        }
        records.delete(key, stored);
        events.add(expired(key, stored, clockMs));
        return null;
    }

    /** Decides a valid, normalised write (anything but a read) against {@code live}, from {@link #liveAt}. */
    public ClaimDecision decide(ClaimRequest request, ClaimState live, long atMs, long clockMs) {
        if (request instanceof CreateClaim create) {
            return live == null ? claim(request, create.owner(), create.attributes(), create.holdSeconds(), atMs,
                    clockMs)
                    : decision(request, DecisionCode.ALREADY_CLAIMED, create.owner(), false, live, atMs,
                    request.value() + " is already claimed by " + live.owner());
        }
        if (request instanceof GetOrCreateClaim getOrCreate) {
            return live == null ? claim(request, getOrCreate.owner(), getOrCreate.attributes(), null, atMs, clockMs)
                    : decision(request, DecisionCode.CLAIM_EXISTS, getOrCreate.owner(), false, live, atMs,
                    request.value() + " is claimed by " + live.owner() + "; returning that claim");
        }
        if (request instanceof ConfirmClaim confirm) {
            return confirm(confirm, live, atMs);
        }
        if (request instanceof ReleaseClaim release) {
            return release(release, live, atMs);
        }
        throw new IllegalArgumentException("not a claim write: " + request.getClass().getSimpleName());
    }

    private ClaimDecision claim(ClaimRequest request, String owner, Map<String, String> attributes,
                                Long holdSeconds, long atMs, long clockMs) {
        ClaimState claim = holdSeconds == null
                ? new ClaimState(owner, ClaimStatus.ACTIVE, attributes, atMs, 0, 0, request.requestId())
                : new ClaimState(owner, ClaimStatus.PENDING, attributes, atMs, clockMs + holdSeconds * 1000, 0,
                request.requestId());
        records.put(request.entityKey(), null, claim);
        String message = holdSeconds == null ? request.value() + " claimed by " + owner
                : request.value() + " held for " + owner + " until confirmed, for " + holdSeconds + " s";
        return decision(request, DecisionCode.CLAIMED, owner, true, claim, atMs, message);
    }

    private ClaimDecision confirm(ConfirmClaim request, ClaimState live, long atMs) {
        if (live == null) {
            return notFound(request, request.owner(), atMs);
        }
        if (!live.owner().equals(request.owner())) {
            return notOwner(request, live, atMs);
        }
        if (!live.isPending()) {
            return decision(request, DecisionCode.CONFIRMED, request.owner(), null, live, atMs,
                    request.value() + " was already active; nothing changed");
        }
        ClaimState active = live.confirmed(atMs);
        records.put(request.entityKey(), live, active);
        return decision(request, DecisionCode.CONFIRMED, request.owner(), null, active, atMs,
                request.value() + " is active for " + request.owner());
    }

    private ClaimDecision release(ReleaseClaim request, ClaimState live, long atMs) {
        if (live == null) {
            return notFound(request, request.owner(), atMs);
        }
        if (!live.owner().equals(request.owner())) {
            return notOwner(request, live, atMs);
        }
        records.delete(request.entityKey(), live);
        return decision(request, DecisionCode.RELEASED, request.owner(), null, live, atMs,
                request.value() + " released by " + request.owner() + "; it is free");
    }


    /** The decision a read of a value without a live claim gets (404 over HTTP). */
    public static ClaimDecision notFound(ClaimRequest request, String requestedBy, long atMs) {
        return new ClaimDecision(request.requestId(), type(request), DecisionCode.CLAIM_NOT_FOUND.outcome(),
                DecisionCode.CLAIM_NOT_FOUND, "no live claim on " + request.value() + " in " + request.scope(),
                request.scope(), request.value(), requestedBy, null, null, null, Instant.ofEpochMilli(atMs));
    }

    private static ClaimDecision notOwner(ClaimRequest request, ClaimState live, long atMs) {
        return decision(request, DecisionCode.NOT_OWNER, ownerOf(request), null, live, atMs,
                "only its owner " + live.owner() + " may " + (request instanceof ConfirmClaim ? "confirm" : "release")
                        + " the claim on " + request.value());
    }

    /** Ends up to {@code max} holds that ran out by {@code nowMs}, earliest first; returns their events. */
    public List<ClaimDecision> expireDue(long nowMs, int max) {
        List<ClaimDecision> events = new ArrayList<>();
        for (ClaimRecords.Held due : records.holdsEndingBy(nowMs, max)) {
            records.delete(due.key(), due.claim());
            events.add(expired(due.key(), due.claim(), nowMs));
        }
        return events;
    }

    private static ClaimDecision expired(String key, ClaimState claim, long atMs) {
        int slash = key.indexOf(ClaimKeys.SEPARATOR);
        String scope = key.substring(0, slash);
        String value = key.substring(slash + 1);
        return new ClaimDecision(null, ClaimDecision.EXPIRE_HOLD_TYPE, DecisionCode.HOLD_EXPIRED.outcome(),
                DecisionCode.HOLD_EXPIRED, "the hold of " + claim.owner() + " on " + value
                + " ran out unconfirmed; it is free", scope, value, null, null, claim.view(scope, value), null,
                Instant.ofEpochMilli(atMs));
    }

    public static ClaimDecision invalid(ClaimRequest request, List<FieldError> errors, long atMs) {
        return new ClaimDecision(request.requestId(), type(request), DecisionCode.INVALID_REQUEST.outcome(),
                DecisionCode.INVALID_REQUEST, "invalid request: " + errors.size() + " field(s) at fault",
                request.scope(), request.value(), ownerOf(request), null, null, errors, Instant.ofEpochMilli(atMs));
    }

    public static ClaimDecision requestIdReused(ClaimRequest request, long atMs) {
        return new ClaimDecision(request.requestId(), type(request), DecisionCode.REQUEST_ID_REUSED.outcome(),
                DecisionCode.REQUEST_ID_REUSED, "requestId '" + request.requestId()
                + "' was already used for a different request", request.scope(), request.value(),
                ownerOf(request), null, null, null, Instant.ofEpochMilli(atMs));
    }

    private static ClaimDecision decision(ClaimRequest request, DecisionCode code, String requestedBy,
                                          Boolean created, ClaimState claim, long atMs, String message) {
        return new ClaimDecision(request.requestId(), type(request), code.outcome(), code, message,
                request.scope(), request.value(), requestedBy, created, claim.view(request.scope(), request.value()),
                null, Instant.ofEpochMilli(atMs));
    }

    private static String ownerOf(ClaimRequest request) {
        if (request instanceof CreateClaim c) {
            return c.owner();
        } else if (request instanceof GetOrCreateClaim g) {
            return g.owner();
        } else if (request instanceof ConfirmClaim c) {
            return c.owner();
        } else if (request instanceof ReleaseClaim r) {
            return r.owner();
        }
        return null;
    }

    private static String type(ClaimRequest request) {
        if (request instanceof CreateClaim) {
            return CreateClaim.TYPE;
        } else if (request instanceof GetOrCreateClaim) {
            return GetOrCreateClaim.TYPE;
        } else if (request instanceof ConfirmClaim) {
            return ConfirmClaim.TYPE;
        } else if (request instanceof ReleaseClaim) {
            return ReleaseClaim.TYPE;
        }
        return ReadClaim.TYPE;
    }
}
