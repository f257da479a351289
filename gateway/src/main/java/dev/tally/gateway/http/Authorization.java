package dev.tally.gateway.http;

import dev.tally.gateway.auth.ApiKey;
import dev.tally.gateway.auth.ApiKeys;
import dev.tally.gateway.auth.Authentication;
import dev.tally.gateway.auth.CallRates;
import dev.tally.gateway.auth.Grant;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Collection;
import java.util.Optional;

/**
 * Runs before every matched route when the gateway has keys: finds the caller's key (401 without a known
 * one), counts the call against the key's rate (429 past it), and checks that it reaches what the route
 * acts on. Another tenant's workspace, resource or claim
 * scope is answered 404 {@code NOT_FOUND}, the same as one that does not exist, so a key learns nothing of
 * what it does not cover; a key that covers the entity but may not manage it gets 403 {@code FORBIDDEN}.
 */
final class Authorization {

    /** Where the caller's key is left for the routes whose body names what they act on. */
    static final String KEY_ATTRIBUTE = "tally.apiKey";
    static final String API_KEY_HEADER = "X-Api-Key";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final CallRates rates;
    private final long perSecond;

    Authorization(Authentication settings) {
        this.keys = settings.keys();
        this.perSecond = settings.callsPerSecondPerKey();
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
        ApiKey key = authenticate(ctx);
        ctx.attribute(KEY_ATTRIBUTE, key);
        long wait = rates.take(key.name());
        if (wait > 0) {
            throw ApiError.tooManyRequests(key.name(), perSecond, wait);
        }
        if (access.pathParam != null) {
            require(key, access.kind, ctx.pathParam(access.pathParam), access.manage);
        }
    }

    /**
     * For routes whose body names what they act on (a composite's segments): each must be in reach of the
     * caller's key. Does nothing when the gateway has no keys.
     */
    static void requireEach(Context ctx, Grant.Kind kind, Collection<String> ids) {
        ApiKey key = ctx.attribute(KEY_ATTRIBUTE);
        if (key != null) {
            ids.forEach(id -> require(key, kind, id, false));
        }
    }

    /**
     * For claim routes, once the value is normalised: a key whose grant covers only some values of a shared
     * scope (one company's phone numbers) must cover this one. Does nothing when the gateway has no keys.
     */
    static void requireClaim(Context ctx, String scope, String normalisedValue) {
        ApiKey key = ctx.attribute(KEY_ATTRIBUTE);
        if (key != null && !key.reachesClaim(scope, normalisedValue)) {
            throw ApiError.notFound();
        }
    }

    private static void require(ApiKey key, Grant.Kind kind, String id, boolean manage) {
        switch (key.reach(kind, id, manage)) {
            case ALLOWED -> {
            }
            case NOT_MANAGER -> throw ApiError.forbidden("key '" + key.name() + "' may use " + kind.word() + " '"
                    + id + "' but not manage it");
            default -> throw ApiError.notFound();
        }
    }

    private ApiKey authenticate(Context ctx) {
        String secret = secret(ctx);
        if (secret == null) {
            throw ApiError.unauthenticated("no API key: send 'Authorization: Bearer <key>' or '" + API_KEY_HEADER
                    + ": <key>'");
        }
        Optional<ApiKey> key = keys.find(secret);
        return key.orElseThrow(() -> ApiError.unauthenticated("unknown API key"));
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
