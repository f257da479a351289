package dev.tally.gateway.auth;

import java.util.function.LongSupplier;

/**
 * What a gateway with API keys checks on every {@code /v1} call: the keys, and how many calls a second
 * each key may make on this instance (0: no limit), timed by {@code nanoClock}.
 */
public record Authentication(ApiKeys keys, long callsPerSecondPerKey, LongSupplier nanoClock) {

    public Authentication(ApiKeys keys, long callsPerSecondPerKey) {
        this(keys, callsPerSecondPerKey, System::nanoTime);
    }
}
