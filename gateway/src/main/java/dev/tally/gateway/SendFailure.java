package dev.tally.gateway;

/**
 * Why a call got no reply. A closed set, each answered with its own stable code; whether the request may
 * have been applied is part of the kind, because it decides what the caller is told.
 */
public final class SendFailure extends RuntimeException {

    public enum Kind {
        /** Too many calls wait already; nothing was sent. */
        OVERLOADED(false),
        /** This instance reads no reply partition (yet); nothing was sent. */
        NOT_READY(false),
        /** Sent, but no reply came in time; it may have been decided. Retrying the requestId is safe. */
        DECISION_TIMEOUT(true),
        /** Sending failed, or the gateway is shutting down; it may have been decided. */
        UNAVAILABLE(true);

        private final boolean mayHaveBeenApplied;

        Kind(boolean mayHaveBeenApplied) {
            this.mayHaveBeenApplied = mayHaveBeenApplied;
        }

        public boolean mayHaveBeenApplied() {
            return mayHaveBeenApplied;
        }
    }

    private final Kind kind;

    public SendFailure(Kind kind, String message) {
        this(kind, message, null);
    }

    public SendFailure(Kind kind, String message, Throwable cause) {
        // No stack trace: these are expected outcomes under load, not bugs.
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
