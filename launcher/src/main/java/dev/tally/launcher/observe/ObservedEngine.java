package dev.tally.launcher.observe;

import dev.tally.gateway.JvmMeters;
import dev.tally.topology.EngineConfig;
import dev.tally.topology.TallyEngine;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tally engine} as an operator runs it: the engine, its meters and, unless {@code engine.http.port}
 * is -1, its health and metrics over HTTP. Kafka Streams' client metrics come through Micrometer's binder,
 * which binds numeric metrics only and reads one that fails as NaN, so one odd metric cannot break a scrape.
 */
public final class ObservedEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ObservedEngine.class);

    private final TallyEngine engine;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreamsMetrics streamsMetrics;
    private final AutoCloseable jvmMeters;
    private final EngineHttp http;

    private ObservedEngine(TallyEngine engine, PrometheusMeterRegistry registry, KafkaStreamsMetrics streamsMetrics,
                           AutoCloseable jvmMeters, EngineHttp http) {
        this.engine = engine;
        this.registry = registry;
        this.streamsMetrics = streamsMetrics;
        this.jvmMeters = jvmMeters;
        this.http = http;
    }

    public static ObservedEngine start(EngineConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TallyEngine engine = TallyEngine.start(config, new EngineMetrics(registry, System::currentTimeMillis));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(engine.streams());
        streamsMetrics.bindTo(registry);
        AutoCloseable jvmMeters = JvmMeters.bindTo(registry);
        EngineHttp http = null;
        int port = config.getInt(EngineConfig.HTTP_PORT);
        if (port >= 0) {
            try {
                http = EngineHttp.start(config.getString(EngineConfig.HTTP_HOST), port, engine::state, registry);
                log.info("engine serving health and metrics on http://{}:{}", config.getString(EngineConfig.HTTP_HOST),
                        http.port());
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
        }
        return new ObservedEngine(engine, registry, streamsMetrics, jvmMeters, http);
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
        if (http != null) {
            http.close();
        }
        engine.close();
        streamsMetrics.close();
        try {
            jvmMeters.close();
        } catch (Exception e) {
            log.warn("closing the JVM meters failed", e);
        }
        registry.close();
    }
}
