package dev.tally.launcher.observe;

import dev.tally.gateway.JvmMeters;
import dev.tally.launcher.ClosingOrder;
import dev.tally.topology.EngineConfig;
import dev.tally.topology.TallyEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine with its meters: {@code tally engine} as an operator runs it ({@link #start}: its own registry,
 * JVM meters and, unless {@code engine.http.port} is -1, health and metrics over HTTP), or counting into a
 * registry another part serves ({@link #startOn}: {@code tally dev}'s gateway). Kafka Streams' client metrics
 * come through Micrometer's binder; the page that serves them drops a meter whose read throws, so one odd
 * metric cannot break a scrape (the gateway's {@code GuardedScrape}).
 */
public final class ObservedEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ObservedEngine.class);

    private final TallyEngine engine;
    private final KafkaStreamsMetrics streamsMetrics;
    /** Null when health and metrics are not served over HTTP. */
    private final EngineHttp http;
    /** The meters and registry this engine set up for itself and closes last; null for a lent registry. */
    private final AutoCloseable owned;

    private ObservedEngine(TallyEngine engine, KafkaStreamsMetrics streamsMetrics, EngineHttp http,
                           AutoCloseable owned) {
        this.engine = engine;
        this.streamsMetrics = streamsMetrics;
        this.http = http;
        this.owned = owned;
    }

    /** The engine, with a registry, JVM meters and (unless {@code engine.http.port} is -1) HTTP of its own. */
    public static ObservedEngine start(EngineConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AutoCloseable jvmMeters = JvmMeters.bindTo(registry);
        AutoCloseable owned = () -> ClosingOrder.close(jvmMeters, registry::close);
        ObservedEngine metered;
        try {
            metered = startOn(config, registry);
        } catch (RuntimeException e) {
            ClosingOrder.close(owned);
            throw e;
        }
        EngineHttp http = null;
        int port = config.getInt(EngineConfig.HTTP_PORT);
        if (port >= 0) {
            try {
                TallyEngine engine = metered.engine;
                http = EngineHttp.start(config.getString(EngineConfig.HTTP_HOST), port, engine::state,
                        () -> LocalTasks.of(engine.streams()), registry);
                log.info("engine serving health and metrics on http://{}:{}", config.getString(EngineConfig.HTTP_HOST),
                        http.port());
            } catch (RuntimeException e) {
                ClosingOrder.close(metered, owned);
                throw e;
            }
        }
        return new ObservedEngine(metered.engine, metered.streamsMetrics, http, owned);
    }

    /**
     * The engine counting into {@code registry}, which its caller serves and closes after this engine: no
     * HTTP, no JVM meters (the caller binds those once for the process).
     */
    public static ObservedEngine startOn(EngineConfig config, MeterRegistry registry) {
        TallyEngine engine = TallyEngine.start(config, new EngineMetrics(registry, System::currentTimeMillis));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(engine.streams());
        streamsMetrics.bindTo(registry);
        return new ObservedEngine(engine, streamsMetrics, null, null);
    }

    public TallyEngine engine() {
        return engine;
    }

    /** The port health and metrics are served on, or -1 if they are not. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Stops answering probes first, then the engine (it commits and leaves its group), then the meters. */
    @Override
    public void close() {
        ClosingOrder.close(http, engine, streamsMetrics, owned);
    }
}
