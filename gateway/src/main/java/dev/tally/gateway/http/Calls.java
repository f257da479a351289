package dev.tally.gateway.http;

import dev.tally.gateway.Reply;
import dev.tally.gateway.RequestSender;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Request;
import dev.tally.schemas.usage.UsageRequest;
import dev.tally.schemas.usage.UsageValidation;
import io.javalin.http.Context;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Validates a request, sends it and answers the call once the reply arrives, without holding an HTTP
 * thread while it waits. The reply's JSON is passed through as the engine wrote it.
 */
final class Calls {

    private final RequestSender sender;
    private final ErrorResponses errors;
    private final HttpMetrics metrics;
    // Replies complete on the reply listener's thread or a timer thread: the answer is written elsewhere,
    // so a slow client can never stall the delivery of other calls' replies.
    private final Executor responseExecutor;

    Calls(RequestSender sender, ErrorResponses errors, HttpMetrics metrics, Executor responseExecutor) {
        this.sender = sender;
        this.errors = errors;
        this.metrics = metrics;
        this.responseExecutor = responseExecutor;
    }

    /** Sends a usage request once it passes the usage rules. */
    void submit(Context ctx, UsageRequest request) {
        submit(ctx, request, UsageValidation.validate(request));
    }

    /** Sends {@code request}, or answers 400 with {@code invalid} when the domain's rules found faults. */
    void submit(Context ctx, Request request, List<FieldError> invalid) {
        ctx.attribute(ErrorResponses.REQUEST_ID_ATTRIBUTE, request.requestId());
        if (!invalid.isEmpty()) {
            throw ApiError.invalid(invalid);
        }
        ctx.future(() -> sendSafely(request).handleAsync((reply, failure) -> {
            if (failure == null) {
                answer(ctx, reply);
            } else {
                errors.write(ctx, failure);
            }
            return null;
        }, responseExecutor));
    }

    private CompletableFuture<Reply> sendSafely(Request request) {
        try {
            return sender.send(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void answer(Context ctx, Reply reply) {
        metrics.reply(reply.code());
        int status = ReplyStatus.of(reply, ctx.attribute(ErrorResponses.REQUEST_ID_ATTRIBUTE));
        ctx.status(status).contentType(JsonBodies.APPLICATION_JSON).result(reply.body());
    }
}
