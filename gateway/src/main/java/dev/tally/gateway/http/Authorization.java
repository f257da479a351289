package dev.tally.gateway.http;

import dev.tally.gateway.auth.ApiKey;
import dev.tally.gateway.auth.ApiKeys;
import dev.tally.gateway.auth.Authentication;
import dev.tally.gateway.auth.CallRates;
import dev.tally.gateway.auth.Caller;
import dev.tally.gateway.auth.Grant;
import dev.tally.gateway.auth.Tokens;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Collection;
import java.util.Optional;

/**
 * Runs before every matched route when the gateway requires credentials: finds the caller from their API
 * key or JWT (401 without a known key or a valid token), counts the call against the caller's rate (429 past
 * it), and checks that their grants reach what the route acts on. Another tenant's workspace, resource or
 * claim scope is answered 404 {@code NOT_FOUND}, the same as one that does not exist, so a caller learns
 * nothing of what they do not cover (the operator does: {@link ErrorResponses} logs what was out of reach);
 * one whose grants cover the entity but not its management gets 403 {@code FORBIDDEN}.
 */
final class Authorization {

    /** Where the caller is left for the routes whose body names what they act on. */
    static final String CALLER_ATTRIBUTE = "tally.caller";
    static final String API_KEY_HEADER = "X-Api-Key";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final Tokens tokens;
    private final CallRates rates;
    private final long perSecond;

    Authorization(Authentication settings) {
        this.keys = settings.keys();
        this.tokens = settings.tokens();
        this.perSecond = settings.callsPerSecondPerCaller();
        this.rates = new CallRates(perSecond, settings.nanoClock());
    }

    void check(Context ctx) {
        Access access = access(ctx);
        if (access == null) {
            if (ctx.path().startsWith("/v1/")) {
                // Fail closed: an API route without an Access role is one Javalin made up (HEAD for a GET).
                throw ApiError.methodNotAllowed(ctx.method().name(), ctx.path());
            }
            return;
        }
        Caller caller = authenticate(ctx);
        ctx.attribute(CALLER_ATTRIBUTE, caller);
        long wait = rates.take(caller.name());
        if (wait > 0) {
            throw ApiError.tooManyRequests(caller.name(), perSecond, wait);
        }
        if (access.pathParam != null) {
            require(caller, access.kind, ctx.pathParam(access.pathParam), access.manage);
        }
    }

    /**
     * For routes whose body names what they act on (a composite's segments): each must be in reach of the
     * caller. Does nothing when the gateway requires no credentials.
     */
    static void requireEach(Context ctx, Grant.Kind kind, Collection<String> ids) {
        Caller caller = ctx.attribute(CALLER_ATTRIBUTE);
        if (caller != null) {
            ids.forEach(id -> require(caller, kind, id, false));
        }
    }

    /**
     * For claim routes, once the value is normalised: a key whose grant covers only some values of a shared
     * scope (one company's phone numbers) must cover this one. Does nothing when the gateway requires no
     * credentials.
     */
    static void requireClaim(Context ctx, String scope, String normalisedValue) {
        Caller caller = ctx.attribute(CALLER_ATTRIBUTE);
        if (caller != null && !caller.reachesClaim(scope, normalisedValue)) {
            throw ApiError.outOfReach(Grant.Kind.CLAIMS, scope + "/" + normalisedValue);
        }
    }

    private static void require(Caller caller, Grant.Kind kind, String id, boolean manage) {
        switch (caller.reach(kind, id, manage)) {
            case ALLOWED -> {
            }
            case NOT_MANAGER -> throw ApiError.forbidden("'" + caller.name() + "' may use " + kind.word() + " '"
                    + id + "' but not manage it");
            default -> throw ApiError.outOfReach(kind, id);
        }
    }

    private Caller authenticate(Context ctx) {
        String secret = secret(ctx);
        if (secret == null) {
            throw ApiError.unauthenticated("no credentials: send 'Authorization: Bearer <API key or JWT>' or '"
                    + API_KEY_HEADER + ": <API key>'");
        }
        if (tokens != null && Tokens.looksLikeToken(secret)) {
            try {
                return tokens.verify(secret);
            } catch (Tokens.InvalidToken e) {
                throw ApiError.unauthenticated("invalid token: " + e.getMessage());
            }
        }
        if (keys == null) {
            throw ApiError.unauthenticated("this gateway takes JWTs only, and that is not one");
        }
        Optional<ApiKey> key = keys.find(secret);
        return key.map(ApiKey::caller).orElseThrow(() -> ApiError.unauthenticated("unknown API key"));
    }

    private static String secret(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).strip();
        }
        String header = ctx.header(API_KEY_HEADER);
        return header == null ? null : header.strip();
    }

    private static Access access(Context ctx) {
        for (RouteRole role : ctx.routeRoles()) {
            if (role instanceof Access access) {
                return access;
            }
        }
        return null;
    }
}
