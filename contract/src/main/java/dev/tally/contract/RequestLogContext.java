package dev.tally.contract;

import org.slf4j.MDC;

/**
 * The request a log line is about, kept in SLF4J's MDC under {@code requestId} while a request is handled,
 * so that every line logged meanwhile names it, in the JSON logs' {@code mdc} and the text logs alike,
 * whoever logs it. A scope restores what was there before, so nested scopes and pooled threads never
 * leave a stale id behind.
 */
public final class RequestLogContext {

    public static final String REQUEST_ID = "requestId";

    private RequestLogContext() {
    }

    /** Names {@code requestId} (nothing when null) in the lines this thread logs until the scope closes. */
    public static Scope of(String requestId) {
        Scope scope = new Scope(MDC.get(REQUEST_ID));
        set(requestId);
        return scope;
    }

    private static void set(String requestId) {
        if (requestId == null) {
            MDC.remove(REQUEST_ID);
        } else {
            MDC.put(REQUEST_ID, requestId);
        }
    }

    /** Closing it puts back the request id the thread named before. */
    public record Scope(String previous) implements AutoCloseable {

        @Override
        public void close() {
            set(previous);
        }
    }
}
