package dev.tally.topology.engine;

/**
 * What the engine counts as it decides, for whoever measures it (the launcher's Micrometer registry). An
 * interface here keeps the topology free of any metrics library; tests and the test driver use {@link #NONE}.
 * Called on stream threads, once per record written: implementations must be cheap and never throw.
 */
public interface EngineMeters {

    EngineMeters NONE = new EngineMeters() {
        @Override
        public void decided(String domain, String code, long requestTimestampMs) {
        }

        @Override
        public void event(String domain, String code) {
        }

        @Override
        public void deadLettered(String topic) {
        }
    };

    /** A decision of a request, written to its domain's decisions topic; the request's record timestamp. */
    void decided(String domain, String code, long requestTimestampMs);

    /**
     * A record on a decisions topic that answers no user's request: an expiry, on the engine's clock, or a
     * resource's answer to a composite's coordinator (hold, confirm, release).
     */
    void event(String domain, String code);

    /** A record of {@code topic} that could not be read, written to the dead-letter topic. */
    void deadLettered(String topic);
}
