package dev.tally.gateway.http;

import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The usage domain's routes: each turns a call into a {@code UsageRequest} (path parameters and body) and
 * hands it to {@link Calls}. Path parameters are validated with the body, under the request's field names.
 */
final class UsageRoutes {

    private final JsonBodies bodies;
    private final Calls calls;

    UsageRoutes(JsonBodies bodies, Calls calls) {
        this.bodies = bodies;
        this.calls = calls;
    }

    void register(RoutesConfig routes) {
        routes.put("/v1/workspaces/{ws}/limits/{feature}", this::setLimit);
        routes.put("/v1/workspaces/{ws}/namespaces/{ns}/limits/{feature}", this::setLimit);
        routes.post("/v1/workspaces/{ws}/usage", this::recordUsage);
        routes.get("/v1/workspaces/{ws}/usage", this::readUsage);
    }

    private void setLimit(Context ctx) {
        Bodies.LimitBody body = bodies.read(ctx, Bodies.LimitBody.class);
        String requestId = RequestIds.resolve(ctx, body.requestId());
        // Absent on the workspace route: the limit is the workspace's own.
        String namespace = ctx.pathParamMap().get("ns");
        calls.submit(ctx, new SetLimit(requestId, ctx.pathParam("ws"), namespace, ctx.pathParam("feature"),
                body.limit(), body.period(), body.enforcement()));
    }

    private void recordUsage(Context ctx) {
        Bodies.UsageBody body = bodies.read(ctx, Bodies.UsageBody.class);
        String requestId = RequestIds.resolve(ctx, body.requestId());
        calls.submit(ctx, new RecordUsage(requestId, ctx.pathParam("ws"), body.namespace(), body.feature(),
                body.amount(), body.dryRun()));
    }

    private void readUsage(Context ctx) {
        // A read changes nothing, so it needs no idempotency key: each gets a fresh id for tracing.
        calls.submit(ctx, new ReadUsage(RequestIds.generate(), ctx.pathParam("ws")));
    }
}
