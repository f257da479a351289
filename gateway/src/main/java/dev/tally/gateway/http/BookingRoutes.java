package dev.tally.gateway.http;

import dev.tally.gateway.auth.Grant;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.BookingRequest;
import dev.tally.schemas.bookings.BookingValidation;
import dev.tally.schemas.bookings.CancelBooking;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.ReadAvailability;
import dev.tally.schemas.bookings.RescheduleBooking;
import dev.tally.schemas.bookings.Segment;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** The bookings domain's routes: each turns a call into a {@code BookingRequest} keyed by its resource. */
final class BookingRoutes {

    static final String EXPECTED_VERSION_PARAM = "expectedVersion";

    private final JsonBodies bodies;
    private final Calls calls;

    BookingRoutes(JsonBodies bodies, Calls calls) {
        this.bodies = bodies;
        this.calls = calls;
    }

    void register(RoutesConfig routes) {
        routes.put("/v1/resources/{id}", this::define, Access.RESOURCE_MANAGE);
        routes.post("/v1/resources/{id}/bookings", this::book, Access.RESOURCE);
        routes.delete("/v1/resources/{id}/bookings/{bookingId}", this::cancel, Access.RESOURCE);
        routes.post("/v1/resources/{id}/bookings/{bookingId}/reschedule", this::reschedule, Access.RESOURCE);
        routes.get("/v1/resources/{id}/availability", this::availability, Access.RESOURCE);
        routes.post("/v1/composite-bookings", this::bookComposite, Access.SEGMENT_RESOURCES);
    }

    private void define(Context ctx) {
        Bodies.ResourceBody body = bodies.read(ctx, Bodies.ResourceBody.class);
        submit(ctx, new DefineResource(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("id"), body.capacity(),
                body.slot(), body.timezone()));
    }

    private void book(Context ctx) {
        Bodies.BookBody body = bodies.read(ctx, Bodies.BookBody.class);
        submit(ctx, new Book(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("id"), body.bookingId(),
                body.externalId(), body.from(), body.to(), body.quantity(), body.userId()));
    }

    private void cancel(Context ctx) {
        submit(ctx, new CancelBooking(RequestIds.resolve(ctx, ctx.queryParam(ClaimRoutes.REQUEST_ID_PARAM)),
                ctx.pathParam("id"), ctx.pathParam("bookingId"), expectedVersion(ctx)));
    }

    private void reschedule(Context ctx) {
        Bodies.RescheduleBody body = bodies.read(ctx, Bodies.RescheduleBody.class);
        submit(ctx, new RescheduleBooking(RequestIds.resolve(ctx, body.requestId()), ctx.pathParam("id"),
                ctx.pathParam("bookingId"), body.from(), body.to(), body.expectedVersion()));
    }

    private void availability(Context ctx) {
        // A read changes nothing, so it needs no idempotency key: each gets a fresh id for tracing.
        submit(ctx, new ReadAvailability(RequestIds.generate(), ctx.pathParam("id"), ctx.queryParam("from"),
                ctx.queryParam("to")));
    }

    private void bookComposite(Context ctx) {
        Bodies.CompositeBody body = bodies.read(ctx, Bodies.CompositeBody.class);
        if (body.segments() != null) {
            // Each segment's resource must be in the key's reach; a malformed segment is left to validation.
            Authorization.requireEach(ctx, Grant.Kind.RESOURCE, body.segments().stream()
                    .filter(segment -> segment != null && segment.resource() != null).map(Segment::resource).toList());
        }
        String requestId = RequestIds.resolve(ctx, body.requestId());
        BookComposite request = new BookComposite(requestId, body.compositeId() != null ? body.compositeId() : requestId,
                body.segments(), body.userId());
        calls.submit(ctx, request, BookingValidation.validate(request));
    }

    private static Long expectedVersion(Context ctx) {
        String text = ctx.queryParam(EXPECTED_VERSION_PARAM);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiError.invalid(EXPECTED_VERSION_PARAM, "must be a whole number");
        }
    }

    private void submit(Context ctx, BookingRequest request) {
        calls.submit(ctx, request, BookingValidation.validate(request));
    }
}
