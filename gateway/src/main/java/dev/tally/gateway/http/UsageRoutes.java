package dev.tally.gateway.http;

import dev.tally.schemas.FieldError;
import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.CancelPackage;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.ReadEntitlements;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageValidation;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The usage domain's routes: each turns a call into a {@code UsageRequest} (path parameters and body) and
 * hands it to {@link Calls}. Path parameters are validated with the body, under the request's field names.
 */
final class UsageRoutes {

    /** The scope of a package cancel, in the query: DELETE has no body many clients will send. */
    static final String NAMESPACE_PARAM = "namespace";

    private final JsonBodies bodies;
    private final Calls calls;

    UsageRoutes(JsonBodies bodies, Calls calls) {
        this.bodies = bodies;
        this.calls = calls;
    }

    void register(RoutesConfig routes) {
        routes.put("/v1/workspaces/{ws}/limits/{feature}", this::setLimit, Access.WORKSPACE_MANAGE);
        routes.put("/v1/workspaces/{ws}/namespaces/{ns}/limits/{feature}", this::setLimit, Access.WORKSPACE_MANAGE);
        routes.post("/v1/workspaces/{ws}/usage", this::recordUsage, Access.WORKSPACE);
        routes.get("/v1/workspaces/{ws}/usage", this::readUsage, Access.WORKSPACE);
        routes.post("/v1/workspaces/{ws}/reservations", this::reserve, Access.WORKSPACE);
        routes.post("/v1/workspaces/{ws}/reservations/{id}/commit", this::commit, Access.WORKSPACE);
        routes.post("/v1/workspaces/{ws}/reservations/{id}/release", this::release, Access.WORKSPACE);
        routes.post("/v1/workspaces/{ws}/packages", this::provision, Access.WORKSPACE_MANAGE);
        routes.delete("/v1/workspaces/{ws}/packages/{packageCode}", this::cancelPackage, Access.WORKSPACE_MANAGE);
        routes.post("/v1/workspaces/{ws}/boosts", this::addBoost, Access.WORKSPACE_MANAGE);
        routes.get("/v1/workspaces/{ws}/entitlements", this::readEntitlements, Access.WORKSPACE);
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

    private void reserve(Context ctx) {
        Bodies.ReserveBody body = bodies.read(ctx, Bodies.ReserveBody.class);
        calls.submit(ctx, new Reserve(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("ws"), body.namespace(),
                body.feature(), body.amount(), body.ttlSeconds()));
    }

    private void commit(Context ctx) {
        Bodies.CommitBody body = bodies.read(ctx, Bodies.CommitBody.class);
        calls.submit(ctx, new CommitReservation(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("ws"),
                ctx.pathParam("id"), body.amount()));
    }

    private void release(Context ctx) {
        // Nothing to say but the id, which the Idempotency-Key header can carry: the body is optional.
        Bodies.ReleaseBody body = bodies.readOptional(ctx, Bodies.ReleaseBody.class);
        String requestId = RequestIds.resolve(ctx, body == null ? null : body.requestId());
        calls.submit(ctx, new ReleaseReservation(requestId, ctx.pathParam("ws"), ctx.pathParam("id")));
    }

    private void provision(Context ctx) {
        Bodies.PackageBody body = bodies.read(ctx, Bodies.PackageBody.class);
        calls.submit(ctx, new ProvisionPackage(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("ws"),
                body.namespace(), body.packageCode(), body.base(), body.features()));
    }

    private void cancelPackage(Context ctx) {
        calls.submit(ctx, new CancelPackage(RequestIds.resolve(ctx, ctx.queryParam(ClaimRoutes.REQUEST_ID_PARAM)),
                ctx.pathParam("ws"), ctx.queryParam(NAMESPACE_PARAM), ctx.pathParam("packageCode")));
    }

    private void addBoost(Context ctx) {
        Bodies.BoostBody body = bodies.read(ctx, Bodies.BoostBody.class);
        List<FieldError> dateErrors = new ArrayList<>();
        Instant expiresAt = instant("expiresAt", body.expiresAt(), dateErrors);
        AddBoost request = new AddBoost(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("ws"),
                body.namespace(), body.feature(), body.amount(), body.externalId(), expiresAt);
        // A bad date is listed with whatever else the body gets wrong, like any other invalid value.
        List<FieldError> errors = new ArrayList<>(UsageValidation.validate(request));
        errors.addAll(dateErrors);
        // The engine compares expiresAt with the request's time, this gateway's clock when it sends: refused
        // here, the caller keeps its requestId for the corrected call.
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            errors.add(new FieldError("expiresAt", "must be in the future"));
        }
        calls.submit(ctx, request, errors);
    }

    private void readEntitlements(Context ctx) {
        // A read changes nothing, so it needs no idempotency key: each gets a fresh id for tracing.
        calls.submit(ctx, new ReadEntitlements(RequestIds.generate(), ctx.pathParam("ws")));
    }

    /**
     * An optional instant; null when absent or unreadable, with the fault added to {@code errors}. Read as an
     * ISO-8601 date-time with an offset, whose seconds are optional: {@code Instant.parse} wants them, yet
     * {@code 2026-12-01T09:30+02:00} is what Java's own {@code OffsetDateTime.toString()} writes on a whole minute.
     */
    private static Instant instant(String field, String text, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant with an offset, like 2026-12-01T00:00:00Z"));
            return null;
        }
    }
}
