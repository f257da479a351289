package dev.tally.launcher.observe;

import dev.tally.schemas.DecisionCode;
import dev.tally.topology.engine.EngineMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The engine's own meters, in Micrometer: decisions by domain, outcome and code
 * ({@code tally_engine_decisions_total}), the time from a request's record timestamp to its decision
 * ({@code tally_engine_decision_latency_seconds}, a histogram of buckets from 1 ms to 30 s), records that
 * answer no user's request ({@code tally_engine_events_total}: expiries, and the resources' answers to a
 * composite's coordinator) and dead letters by source topic ({@code tally_engine_dead_letters_total}).
 * Meters are looked up once per tag set and kept: the stream thread pays two map lookups per decision.
 */
public final class EngineMetrics implements EngineMeters {

    private final MeterRegistry registry;
    private final LongSupplier wallClockMs;
    private final Timer latency;
    /** By domain, then code: no key is built per decision on the stream thread. */
    private final Map<String, Map<String, Counter>> decisions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> events = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

    public EngineMetrics(MeterRegistry registry, LongSupplier wallClockMs) {
        this.registry = registry;
        this.wallClockMs = wallClockMs;
        this.latency = Timer.builder("tally.engine.decision.latency")
                .description("From a request's record timestamp (its producer's clock) to its decision being"
                        + " written (this engine's clock)")
                // Buckets, not client-side percentiles: p50/p95/p99 come from histogram_quantile over the
                // buckets, which add up across instances where percentiles would not (and Prometheus takes one
                // or the other per meter).
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    @Override
    public void decided(String domain, String code, long requestTimestampMs) {
        counter(decisions, domain, code, () -> Counter.builder("tally.engine.decisions")
                .description("Decisions written to the decisions topics")
                .tag("domain", domain).tag("outcome", outcome(code)).tag("code", code)
                .register(registry)).increment();
        // A producer clock ahead of ours would give a negative time: it counts as none.
        latency.record(Math.max(0, wallClockMs.getAsLong() - requestTimestampMs), TimeUnit.MILLISECONDS);
    }

    @Override
    public void event(String domain, String code) {
        counter(events, domain, code, () -> Counter.builder("tally.engine.events")
                .description("Records on the decisions topics that answer no user's request: expiries, and the"
                        + " resources' answers to a composite's coordinator")
                .tag("domain", domain).tag("code", code)
                .register(registry)).increment();
    }

    @Override
    public void deadLettered(String topic) {
        deadLetters.computeIfAbsent(topic, k -> Counter.builder("tally.engine.dead.letters")
                .description("Records that could not be read, written to the dead-letter topic")
                .tag("topic", topic)
                .register(registry)).increment();
    }

    private static Counter counter(Map<String, Map<String, Counter>> byDomain, String domain, String code,
                                   Supplier<Counter> register) {
        return byDomain.computeIfAbsent(domain, d -> new ConcurrentHashMap<>())
                .computeIfAbsent(code, c -> register.get());
    }

    /** ACCEPTED or REJECTED, as the code's definition says; UNKNOWN for a code this build does not know. */
    private static String outcome(String code) {
        try {
            return DecisionCode.valueOf(code).outcome().name();
        } catch (IllegalArgumentException e) {
            return "UNKNOWN";
        }
    }
}
