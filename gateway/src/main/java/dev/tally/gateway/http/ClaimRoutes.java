package dev.tally.gateway.http;

import dev.tally.schemas.claims.ClaimRequest;
import dev.tally.schemas.claims.ClaimScopes;
import dev.tally.schemas.claims.ClaimValidation;
import dev.tally.schemas.claims.ConfirmClaim;
import dev.tally.schemas.claims.CreateClaim;
import dev.tally.schemas.claims.GetOrCreateClaim;
import dev.tally.schemas.claims.ReadClaim;
import dev.tally.schemas.claims.ReleaseClaim;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The claims domain's routes. Each call's value is normalised in its scope before it is sent, so the
 * record carries the canonical key and lands in the partition of the task that owns it; an unknown scope
 * or a value the scope refuses is a 400 naming the rule.
 */
final class ClaimRoutes {

    /** The owner of a release, in the query: DELETE has no body many clients will send. */
    static final String OWNER_PARAM = "owner";
    static final String REQUEST_ID_PARAM = "requestId";

    private final JsonBodies bodies;
    private final Calls calls;
    private final ClaimScopes scopes;

    ClaimRoutes(JsonBodies bodies, Calls calls, ClaimScopes scopes) {
        this.bodies = bodies;
        this.calls = calls;
        this.scopes = scopes;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/claims/{scope}", this::create, Access.CLAIMS);
        routes.put("/v1/claims/{scope}/{value}", this::getOrCreate, Access.CLAIMS);
        routes.post("/v1/claims/{scope}/{value}/confirm", this::confirm, Access.CLAIMS);
        routes.delete("/v1/claims/{scope}/{value}", this::release, Access.CLAIMS);
        routes.get("/v1/claims/{scope}/{value}", this::read, Access.CLAIMS);
    }

    private void create(Context ctx) {
        Bodies.CreateClaimBody body = bodies.read(ctx, Bodies.CreateClaimBody.class);
        submit(ctx, new CreateClaim(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("scope"), body.value(),
                body.owner(), body.attributes(), body.holdSeconds()));
    }

    private void getOrCreate(Context ctx) {
        Bodies.GetOrCreateClaimBody body = bodies.read(ctx, Bodies.GetOrCreateClaimBody.class);
        submit(ctx, new GetOrCreateClaim(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("scope"),
                ctx.pathParam("value"), body.owner(), body.attributes()));
    }

    private void confirm(Context ctx) {
        Bodies.ConfirmClaimBody body = bodies.read(ctx, Bodies.ConfirmClaimBody.class);
        submit(ctx, new ConfirmClaim(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("scope"),
                ctx.pathParam("value"), body.owner()));
    }

    private void release(Context ctx) {
        submit(ctx, new ReleaseClaim(RequestIds.resolve(ctx, ctx.queryParam(REQUEST_ID_PARAM)),
                ctx.pathParam("scope"), ctx.pathParam("value"), ctx.queryParam(OWNER_PARAM)));
    }

    private void read(Context ctx) {
        // A read changes nothing, so it needs no idempotency key: each gets a fresh id for tracing.
        submit(ctx, new ReadClaim(RequestIds.generate(), ctx.pathParam("scope"), ctx.pathParam("value")));
    }

    private void submit(Context ctx, ClaimRequest request) {
        ClaimValidation.Checked checked = ClaimValidation.check(request, scopes);
        if (checked.errors().isEmpty()) {
            Authorization.requireClaim(ctx, checked.request().scope(), checked.request().value());
        }
        calls.submit(ctx, checked.request(), checked.errors());
    }
}
