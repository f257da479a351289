package dev.tally.gateway.auth;

import java.util.function.LongSupplier;

/**
 * What a gateway that requires credentials checks on every {@code /v1} call: its API keys and its JWTs
 * (either may be null, not both), and how many calls a second each caller may make on this instance
 * (0: no limit), timed by {@code nanoClock}.
 */
public record Authentication(ApiKeys keys, Tokens tokens, long callsPerSecondPerCaller, LongSupplier nanoClock) {

    public Authentication {
        if (keys == null && tokens == null) {
            throw new IllegalArgumentException("authentication needs API keys, JWTs or both");
        }
    }

    public Authentication(ApiKeys keys, Tokens tokens, long callsPerSecondPerCaller) {
        this(keys, tokens, callsPerSecondPerCaller, System::nanoTime);
    }
}
