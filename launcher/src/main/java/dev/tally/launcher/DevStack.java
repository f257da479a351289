package dev.tally.launcher;

import dev.tally.contract.CommonSettings;
import dev.tally.gateway.GatewayConfig;
import dev.tally.gateway.GatewayServer;
import dev.tally.launcher.broker.EmbeddedKafka;
import dev.tally.launcher.observe.ObservedEngine;
import dev.tally.topology.EngineConfig;
import dev.tally.topology.TallyEngine;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code tally dev} runs, in one process: the embedded broker, the engine and the gateway,
 * wired the same way for the command and for the end-to-end tests. {@link #start} returns once the
 * gateway's {@code GET /health/ready} answers 200 and the engine is running; {@link #close} stops the
 * gateway, then the engine, then the broker, so that nothing is cut off from what it talks to.
 *
 * <p>Under the data dir: {@code kafka/} holds the broker's logs, {@code engine-state/} the engine's
 * RocksDB stores. Both survive a stop, so limits and usage are still there at the next start.
 */
public final class DevStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevStack.class);

    public static final String KAFKA_DIR = "kafka";
    public static final String ENGINE_STATE_DIR = "engine-state";
    /** Dev mode serves this machine only: it has no authentication. */
    public static final String LOOPBACK = "127.0.0.1";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final long READY_POLL_MS = 50;

    private final EmbeddedKafka broker;
    /** The engine, counting into the registry the gateway's /metrics serves. */
    private final ObservedEngine engine;
    /** The engine's and the gateway's meters: closed last, once nothing counts into it. */
    private final PrometheusMeterRegistry registry;
    private final GatewayServer gateway;
    private final String bootstrapServers;
    /** The interface the gateway binds. */
    private final String httpHost;
    private boolean closed;

    private DevStack(EmbeddedKafka broker, ObservedEngine engine, PrometheusMeterRegistry registry,
                     GatewayServer gateway, String bootstrapServers, String httpHost) {
        this.broker = broker;
        this.engine = engine;
        this.registry = registry;
        this.gateway = gateway;
        this.bootstrapServers = bootstrapServers;
        this.httpHost = httpHost;
    }

    /**
     * What to start and where.
     *
     * @param configFile optional properties file with engine and gateway settings (may be null)
     * @param env        the environment ({@code TALLY_*} variables are read from it)
     * @param overrides  settings that win over the file and the environment (tests set topic prefixes)
     */
    public record Options(Path dataDir, int httpPort, int kafkaPort, Path configFile, Map<String, String> env,
                          Map<String, ?> overrides) {

        public Options {
            env = Map.copyOf(env);
            overrides = Map.copyOf(overrides);
        }

        public static Options of(Path dataDir, int httpPort, int kafkaPort) {
            return new Options(dataDir, httpPort, kafkaPort, null, Map.of(), Map.of());
        }
    }

    /** The broker under {@code dataDir/kafka}, then the engine and the gateway on it. */
    public static DevStack start(Options options) {
        // Fail on a bad setting before the broker spends seconds starting.
        resolveEngine(options, "127.0.0.1:" + Math.max(options.kafkaPort(), 1));
        resolveGateway(options, "127.0.0.1:" + Math.max(options.kafkaPort(), 1));
        EmbeddedKafka broker = EmbeddedKafka.start(options.dataDir().resolve(KAFKA_DIR), options.kafkaPort(), 0);
        try {
            return startApps(broker, broker.bootstrapServers(), options);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * The engine and the gateway on a cluster that is already there (the tests' shared broker). The
     * engine's state lives under {@code options.dataDir()/engine-state}; {@code kafkaPort} is unused.
     */
    public static DevStack startOn(String bootstrapServers, Options options) {
        return startApps(null, bootstrapServers, options);
    }

    private static DevStack startApps(EmbeddedKafka broker, String bootstrapServers, Options options) {
        long startedNs = System.nanoTime();
        // One process, one scrape: the engine's meters and Kafka Streams' join the gateway's /metrics.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The engine creates the topics before the gateway starts reading replies.
        ObservedEngine engine;
        try {
            engine = ObservedEngine.startOn(resolveEngine(options, bootstrapServers), registry);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        GatewayServer gateway;
        GatewayConfig gatewayConfig;
        try {
            gatewayConfig = resolveGateway(options, bootstrapServers);
            gateway = GatewayServer.start(gatewayConfig, registry);
        } catch (RuntimeException e) {
            ClosingOrder.close(engine, registry::close);
            throw e;
        }
        DevStack stack = new DevStack(broker, engine, registry, gateway, bootstrapServers, gatewayConfig.httpHost());
        try {
            stack.awaitReady();
        } catch (RuntimeException e) {
            stack.closeApps();
            throw e;
        }
        log.info("engine and gateway ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNs));
        return stack;
    }

    static EngineConfig resolveEngine(Options options, String bootstrapServers) {
        Map<String, Object> overrides = new HashMap<>(options.overrides());
        overrides.put(CommonSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        overrides.put(EngineConfig.STATE_DIR,
                options.dataDir().resolve(ENGINE_STATE_DIR).toAbsolutePath().normalize().toString());
        return EngineConfig.resolve(options.configFile(), options.env(), overrides);
    }

    static GatewayConfig resolveGateway(Options options, String bootstrapServers) {
        Map<String, Object> overrides = new HashMap<>(options.overrides());
        overrides.put(CommonSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        overrides.putIfAbsent(GatewayConfig.HTTP_HOST, LOOPBACK);
        overrides.put(GatewayConfig.HTTP_PORT, options.httpPort());
        // Open on loopback for trying it (the banner says so); keys given in its settings are still required,
        // and tally dev does not bind elsewhere without them.
        overrides.put(GatewayConfig.AUTH_REQUIRED, false);
        return GatewayConfig.resolve(options.configFile(), options.env(), overrides);
    }

    /** Whether {@code host} is this machine only: 127.0.0.0/8, ::1 or localhost. */
    static boolean isLoopback(String host) {
        try {
            // Every address the name resolves to: '127.example.com' may be anywhere.
            return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether the gateway asks for API keys (keys were given in the settings). */
    public boolean authenticates() {
        return gateway.authenticates();
    }

    /** Where this machine reaches the gateway: loopback when it binds every interface, else its address. */
    public String httpAddress() {
        String host = httpHost.equals("0.0.0.0") || httpHost.equals("::") ? LOOPBACK : httpHost;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + gateway.port();
    }

    public int httpPort() {
        return gateway.port();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public TallyEngine engine() {
        return engine.engine();
    }

    /** What is wrong with the stack now, or null while it serves. */
    public String failure() {
        return EngineHealth.problem(engine.engine());
    }

    /** Waits until the engine runs and the gateway answers ready: what a user's first call needs. */
    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create(httpAddress() + "/health/ready");
        long deadlineNs = System.nanoTime() + READY_TIMEOUT.toNanos();
        String lastProblem = "not asked yet";
        while (System.nanoTime() < deadlineNs) {
            String failure = failure();
            if (failure != null) {
                throw new IllegalStateException("tally did not start: " + failure);
            }
            if (engine.engine().isRunning()) {
                try {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                    lastProblem = "GET /health/ready answered " + response.statusCode();
                } catch (IOException e) {
                    lastProblem = "GET /health/ready failed: " + e.getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for tally to be ready", e);
                }
            } else {
                lastProblem = "engine is " + engine.engine().state();
            }
            sleepQuietly(READY_POLL_MS);
        }
        throw new IllegalStateException("tally not ready within " + READY_TIMEOUT.toSeconds() + " s: " + lastProblem);
    }

    /** Gateway first (no new calls), then the engine (commits what it decided), then the broker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ClosingOrder.close(gateway, engine, registry::close, broker);
    }

    private void closeApps() {
        ClosingOrder.close(gateway, engine, registry::close);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for tally to be ready", e);
        }
    }
}
