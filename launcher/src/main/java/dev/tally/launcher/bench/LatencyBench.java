package dev.tally.launcher.bench;

import dev.tally.gateway.GatewayConfig;
import dev.tally.gateway.GatewayServer;
import dev.tally.topology.EngineConfig;
import dev.tally.topology.TallyEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Synchronous check latency over HTTP at a fixed offered rate (open loop): requests are sent on a
 * schedule whatever the answers do, and each latency is measured from the moment the request was due,
 * so a stall is counted in full rather than hidden by the sender waiting. The broker runs in its own
 * process; engine, gateway and this load generator share this one.
 */
@Command(name = "latency", description = "HTTP check latency p50/p99 at a fixed offered rate (open loop).",
        mixinStandardHelpOptions = true)
public final class LatencyBench implements Callable<Integer> {

    private static final int SETUP_WAVE = 100;

    @Option(names = "--rate", defaultValue = "1000", description = "Requests per second offered.")
    int rate;
    @Option(names = "--seconds", defaultValue = "30", description = "Measured seconds.")
    int seconds;
    @Option(names = "--warmup-seconds", defaultValue = "10", description = "Seconds sent but not measured.")
    int warmupSeconds;
    @Option(names = "--workspaces", defaultValue = "1000",
            description = "Distinct workspaces (usage), or staff resources (composites).")
    int workspaces;
    @Option(names = "--domain", defaultValue = "usage",
            description = "usage: POST /usage; reservations: POST /reservations, then its commit once answered;"
                    + " composites: POST /v1/composite-bookings of two staff for one hour.")
    Domain domain;

    /** What the offered load is made of. */
    enum Domain { usage, reservations, composites }
    @Option(names = "--poll-ms", defaultValue = "5", description = "Engine poll.ms.")
    long pollMs;
    @Mixin
    EngineOptions engineOptions;

    @Override
    public Integer call() throws Exception {
        Path run = engineOptions.newRunDir("latency");
        try (BrokerProcess broker = BrokerProcess.start(run.resolve("kafka"), "1g")) {
            Map<String, Object> settings = new HashMap<>();
            settings.put(EngineConfig.POLL_MS, pollMs);
            settings.put(GatewayConfig.HTTP_PORT, 0);
            settings.putAll(engineOptions.settings(broker.bootstrapServers(), run.resolve("state")));
            try (TallyEngine engine = TallyEngine.start(new EngineConfig(settings));
                 GatewayServer gateway = GatewayServer.start(new GatewayConfig(settings))) {
                Waits.until(Duration.ofMinutes(2), "engine running and gateway ready",
                        () -> engine.isRunning() && gateway.isReady());
                String base = "http://127.0.0.1:" + gateway.port();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                setLimits(http, base);
                measure(http, base);
            }
        }
        return 0;
    }

    /**
     * One limit per workspace, in waves of {@link #SETUP_WAVE} calls. The first calls after a start also
     * wait for the engine's first transaction, so a 504 is retried with the same request id: the
     * engine applies it once, however often it arrives.
     */
    private void setLimits(HttpClient http, String base) {
        for (int first = 0; first < workspaces; first += SETUP_WAVE) {
            int last = Math.min(workspaces, first + SETUP_WAVE);
            CompletableFuture<?>[] calls = new CompletableFuture<?>[last - first];
            for (int w = first; w < last; w++) {
                HttpRequest put = domain != Domain.composites
                        ? HttpRequest.newBuilder(URI.create(base + "/v1/workspaces/ws-" + w + "/limits/ai.tokens"))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "bench-limit-" + w)
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                "{\"limit\":1000000000000,\"period\":\"MONTH\",\"enforcement\":\"HARD\"}"))
                        .build()
                        : HttpRequest.newBuilder(URI.create(base + "/v1/resources/staff-" + w))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "bench-resource-" + w)
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                "{\"capacity\":1000000,\"slot\":\"HOUR\",\"timezone\":\"UTC\"}"))
                        .build();
                calls[w - first] = sendUntilDecided(http, put, 5);
            }
            CompletableFuture.allOf(calls).join();
        }
    }

    private static CompletableFuture<Void> sendUntilDecided(HttpClient http, HttpRequest request, int attempts) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenCompose(r -> {
            if (r.statusCode() == 504 && attempts > 1) {
                return sendUntilDecided(http, request, attempts - 1);
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("setting up answered " + r.statusCode());
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Request {@code i} of the offered load. A composite takes two neighbouring staff for one hour of a
     * month; capacities are large, so every composite is booked and the figure is the protocol's own.
     */
    private HttpRequest request(String base, long i) {
        if (domain == Domain.usage) {
            return HttpRequest.newBuilder(URI.create(base + "/v1/workspaces/ws-" + (i % workspaces) + "/usage"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"feature\":\"ai.tokens\",\"amount\":1}"))
                    .build();
        }
        if (domain == Domain.reservations) {
            return HttpRequest.newBuilder(URI.create(base + "/v1/workspaces/ws-" + (i % workspaces)
                            + "/reservations"))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "bench-r-" + i)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"feature\":\"ai.tokens\",\"amount\":10,\"ttlSeconds\":3600}"))
                    .build();
        }
        String from = java.time.LocalDateTime.parse("2026-10-01T00:00").plusHours(i % 720).toString();
        String to = java.time.LocalDateTime.parse(from).plusHours(1).toString();
        String segments = "{\"resource\":\"staff-" + (i % workspaces) + "\",\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"quantity\":1},{\"resource\":\"staff-" + ((i + 1) % workspaces) + "\",\"from\":\"" + from
                + "\",\"to\":\"" + to + "\",\"quantity\":1}";
        return HttpRequest.newBuilder(URI.create(base + "/v1/composite-bookings"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"segments\":[" + segments + "]}"))
                .build();
    }

    /** The commit of reservation {@code i}: 7 of the 10 reserved, so 3 are returned. */
    private HttpRequest commit(String base, long i) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/workspaces/ws-" + (i % workspaces)
                        + "/reservations/bench-r-" + i + "/commit"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":7}"))
                .build();
    }

    /**
     * When each request is due. The warm-up ramps the rate up from a tenth of the offered rate: two cold
     * JVMs (engine and broker) still compiling cannot take the full rate at once, and a backlog built then
     * would time out every measured call and say nothing about the steady state.
     */
    record Schedule(int rate, int warmupSeconds) {

        long warmupRequests() {
            return Math.round((rate / 10.0 + rate) * warmupSeconds / 2);
        }

        /** Nanoseconds from the start at which request {@code i} is due. */
        long dueNs(long i) {
            double start = rate / 10.0;
            double seconds;
            if (i < warmupRequests()) {
                // i = start * t + (rate - start) * t^2 / (2 * warmup), solved for t
                double a = (rate - start) / (2.0 * warmupSeconds);
                seconds = (-start + Math.sqrt(start * start + 4 * a * i)) / (2 * a);
            } else {
                seconds = warmupSeconds + (double) (i - warmupRequests()) / rate;
            }
            return (long) (seconds * 1e9);
        }
    }

    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong warmupErrors = new AtomicLong();
    // What the errors were (a status code or an exception's class): a saturated run says why.
    private final ConcurrentHashMap<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();

    /** Counts one answer: its latency if it was measured and as expected, else an error. Returns whether ok. */
    private boolean tally(boolean measured, Throwable failure, HttpResponse<?> response, int expected, long latencyUs,
                          ConcurrentLinkedQueue<Long> samples) {
        boolean ok = failure == null && response.statusCode() == expected;
        if (!ok && !measured) {
            warmupErrors.incrementAndGet();
        } else if (!ok) {
            errors.incrementAndGet();
            String kind = failure != null ? failure.getClass().getSimpleName() : Integer.toString(response.statusCode());
            errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        } else if (measured) {
            samples.add(latencyUs);
        }
        return ok;
    }

    private void measure(HttpClient http, String base) throws InterruptedException {
        if (rate < 1 || seconds < 1 || warmupSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--rate and --seconds must be at least 1, --warmup-seconds at least 0");
        }
        Schedule schedule = new Schedule(rate, warmupSeconds);
        long warmup = schedule.warmupRequests();
        long total = warmup + (long) rate * seconds;
        ConcurrentLinkedQueue<Long> latenciesUs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> commitsUs = new ConcurrentLinkedQueue<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        long startNs = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        // Each tick sends every request that is due by now, timed from when it was due.
        ticker.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            while (sent.get() < total && startNs + schedule.dueNs(sent.get()) <= now) {
                long i = sent.getAndIncrement();
                long dueNs = startNs + schedule.dueNs(i);
                HttpRequest post = request(base, i);
                int ok = domain == Domain.usage ? 200 : 201;
                boolean measured = i >= warmup;
                http.sendAsync(post, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                    long latencyUs = (System.nanoTime() - dueNs) / 1000;
                    boolean answeredOk = tally(measured, e, r, ok, latencyUs, latenciesUs);
                    if (answeredOk && domain == Domain.reservations) {
                        // The caller's next step once its reservation is answered: timed from its own start.
                        long commitStartNs = System.nanoTime();
                        http.sendAsync(commit(base, i), HttpResponse.BodyHandlers.discarding())
                                .whenComplete((cr, ce) -> {
                                    tally(measured, ce, cr, 200, (System.nanoTime() - commitStartNs) / 1000,
                                            commitsUs);
                                    answered.incrementAndGet();
                                });
                    } else {
                        answered.incrementAndGet();
                    }
                });
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(warmupSeconds + seconds + 30);
        while (answered.get() < total && System.nanoTime() < deadlineNs) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        ticker.shutdownNow();
        Percentiles p = new Percentiles(latenciesUs.stream().mapToLong(Long::longValue).toArray());
        System.out.printf("%s latency at %d req/s offered, %d s measured (%d samples, %d errors): p50 %.1f ms,"
                        + " p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms (commit %d ms, poll %d ms)%n",
                domain, rate, seconds, p.count(), errors.get(), p.at(50) / 1e3, p.at(90) / 1e3, p.at(99) / 1e3,
                p.at(99.9) / 1e3, p.at(100) / 1e3, engineOptions.commitIntervalMs, pollMs);
        if (domain == Domain.reservations) {
            Percentiles c = new Percentiles(commitsUs.stream().mapToLong(Long::longValue).toArray());
            System.out.printf("their commits (%d samples): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms,"
                            + " max %.1f ms%n", c.count(), c.at(50) / 1e3, c.at(90) / 1e3, c.at(99) / 1e3,
                    c.at(99.9) / 1e3, c.at(100) / 1e3);
        }
        if (warmupErrors.get() > 0) {
            System.out.println("errors during the warm-up (not counted above): " + warmupErrors.get());
        }
        if (!errorKinds.isEmpty()) {
            System.out.println("errors by kind: " + new TreeMap<>(errorKinds));
        }
    }
}
