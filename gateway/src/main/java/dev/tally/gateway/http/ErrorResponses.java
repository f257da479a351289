package dev.tally.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.gateway.SendFailure;
import dev.tally.contract.RequestLogContext;
import dev.tally.gateway.auth.Caller;
import dev.tally.schemas.Json;
import dev.tally.schemas.Outcome;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one place where a failure becomes an HTTP answer: Javalin's exception handler and the asynchronous
 * path of a call both end here, so every error has the same shape and a stable code.
 */
public final class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    /** Where a handler leaves the call's requestId, so that an error answer can name it. */
    static final String REQUEST_ID_ATTRIBUTE = "tally.requestId";

    private static final String OVERLOADED_RETRY_AFTER_SECONDS = "1";
    static final String NOT_READY_RETRY_AFTER_SECONDS = "2";

    /**
     * The statuses an operator counts: credentials, rights, size, media type, rate, load, time. A 404 is
     * counted only when it hides what the caller's grants do not reach ({@link #warnOutOfReach}).
     */
    private static final Set<Integer> COUNTED_REFUSALS = Set.of(401, 403, 413, 415, 429, 503, 504);

    private final HttpMetrics metrics;

    public ErrorResponses(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    public void write(Context ctx, Throwable failure) {
        Throwable error = unwrap(failure);
        String requestId = ctx.attribute(REQUEST_ID_ATTRIBUTE);
        // Every line logged about this call names its request, on whichever thread answers it.
        try (RequestLogContext.Scope named = RequestLogContext.of(requestId)) {
            answer(ctx, error, requestId);
        }
    }

    private void answer(Context ctx, Throwable error, String requestId) {
        if (error instanceof ApiError) {
            ApiError api = (ApiError) error;
            if (api.status() == 400) {
                log.debug("invalid request {}: {}", requestId, api.errors());
            } else if (api.status() == 401) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"tally\"");
            }
            if (api.retryAfterSeconds() != null) {
                ctx.header("Retry-After", Long.toString(api.retryAfterSeconds()));
            }
            ErrorBody body = new ErrorBody(requestId, Outcome.REJECTED, api.code(), api.getMessage(), api.errors());
            if (api.outOfReach() != null) {
                warnOutOfReach(ctx, api.outOfReach(), body);
            }
            respond(ctx, api.status(), body);
        } else if (error instanceof SendFailure) {
            sendFailure(ctx, (SendFailure) error, requestId);
        } else if (error instanceof HttpResponseException) {
            httpResponse(ctx, (HttpResponseException) error, requestId);
        } else {
            log.error("call {} {} failed", ctx.method(), ctx.path(), error);
            respond(ctx, 500, new ErrorBody(requestId, null, ErrorCodes.INTERNAL_ERROR,
                    "the gateway failed to answer; retrying with the same requestId is safe", null));
        }
    }

    private void sendFailure(Context ctx, SendFailure failure, String requestId) {
        Outcome outcome = failure.kind().mayHaveBeenApplied() ? null : Outcome.REJECTED;
        switch (failure.kind()) {
            case OVERLOADED:
                ctx.header("Retry-After", OVERLOADED_RETRY_AFTER_SECONDS);
                respond(ctx, 503, new ErrorBody(requestId, outcome, ErrorCodes.OVERLOADED, failure.getMessage(), null));
                break;
            case NOT_READY:
                ctx.header("Retry-After", NOT_READY_RETRY_AFTER_SECONDS);
                respond(ctx, 503, new ErrorBody(requestId, outcome, ErrorCodes.NOT_READY, failure.getMessage(), null));
                break;
            case DECISION_TIMEOUT:
                metrics.decisionTimeout();
                respond(ctx, 504, new ErrorBody(requestId, outcome, ErrorCodes.DECISION_TIMEOUT,
                        failure.getMessage(), null));
                break;
            case UNAVAILABLE:
            default:
                ctx.header("Retry-After", OVERLOADED_RETRY_AFTER_SECONDS);
                respond(ctx, 503, new ErrorBody(requestId, outcome, ErrorCodes.UNAVAILABLE, failure.getMessage(),
                        null));
                break;
        }
    }

    /** Javalin's own answers: no route, wrong method, a body its limits refused. */
    private void httpResponse(Context ctx, HttpResponseException e, String requestId) {
        int status = e.getStatus();
        String code;
        String message;
        switch (status) {
            case 404:
                code = ErrorCodes.NOT_FOUND;
                message = "no route " + ctx.method() + " " + ctx.path();
                break;
            case 405:
                code = ErrorCodes.METHOD_NOT_ALLOWED;
                message = "route " + ctx.path() + " does not take " + ctx.method();
                break;
            case 413:
                code = ErrorCodes.PAYLOAD_TOO_LARGE;
                message = "the body is too large";
                break;
            case 415:
                code = ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
                message = "the body must be application/json";
                break;
            default:
                if (status < 500) {
                    code = ErrorCodes.INVALID_REQUEST;
                    message = e.getMessage();
                } else {
                    log.error("call {} {} failed", ctx.method(), ctx.path(), e);
                    status = 500;
                    code = ErrorCodes.INTERNAL_ERROR;
                    message = "the gateway failed to answer; retrying with the same requestId is safe";
                }
        }
        Outcome outcome = status < 500 ? Outcome.REJECTED : null;
        respond(ctx, status, new ErrorBody(requestId, outcome, code, message, null));
    }

    static void respond(Context ctx, int status, ErrorBody body) {
        if (COUNTED_REFUSALS.contains(status) && ctx.path().startsWith("/v1/")) {
            warnRefused(ctx, status, body);
        }
        ctx.status(status).contentType(JsonBodies.APPLICATION_JSON).result(toJson(body));
    }

    /**
     * One structured warning per call the gateway itself turned away for a reason an operator counts
     * (credentials, rights, rate, size, load, time), with the request id when there is one: nothing per
     * accepted call, nor per decision (the engine logs its own rejections).
     */
    private static void warnRefused(Context ctx, int status, ErrorBody body) {
        refusal(ctx, status, body).log();
    }

    /**
     * The same warning for a 404 that hides another tenant's entity from the caller, naming the route and
     * what was out of reach, so that a key probing ids shows in the logs. A 404 for what does not exist (no
     * route, or the engine's {@code ..._NOT_FOUND}) is an ordinary answer and logs nothing.
     */
    private static void warnOutOfReach(Context ctx, ApiError.OutOfReach outOfReach, ErrorBody body) {
        refusal(ctx, 404, body)
                .addKeyValue("route", ctx.endpoints().matchedHttpEndpoint().path)
                .addKeyValue("entityKind", outOfReach.kind().word())
                .addKeyValue("entityId", outOfReach.id())
                .log();
    }

    private static LoggingEventBuilder refusal(Context ctx, int status, ErrorBody body) {
        Caller caller = ctx.attribute(Authorization.CALLER_ATTRIBUTE);
        return log.atWarn().setMessage("call refused by the gateway")
                .addKeyValue("status", status)
                .addKeyValue("code", body.code())
                .addKeyValue("requestId", body.requestId())
                .addKeyValue("method", ctx.method().name())
                .addKeyValue("path", ctx.path())
                .addKeyValue("caller", caller == null ? null : caller.name());
    }

    static byte[] toJson(Object body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // Our own records always serialise.
            throw new UncheckedIOException(e);
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
