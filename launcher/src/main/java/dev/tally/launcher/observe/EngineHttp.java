package dev.tally.launcher.observe;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The engine's HTTP face for operators: {@code /health/live} (the process answers), {@code /health/ready}
 * (200 only while Kafka Streams is RUNNING: not while it rebalances or restores its stores, 503 otherwise,
 * naming the state) and {@code /metrics} in Prometheus text.
 */
public final class EngineHttp implements AutoCloseable {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";

    private final Javalin app;

    private EngineHttp(Javalin app) {
        this.app = app;
    }

    /** Serves on {@code host:port} (port 0 picks one) until closed. */
    public static EngineHttp start(String host, int port, Supplier<KafkaStreams.State> state,
                                   PrometheusMeterRegistry registry) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/health/live", ctx -> status(ctx, 200, "LIVE"));
            config.routes.get("/health/ready", ctx -> ready(ctx, state.get()));
            config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
        });
        app.start(host, port);
        return new EngineHttp(app);
    }

    public int port() {
        return app.port();
    }

    private static void ready(Context ctx, KafkaStreams.State state) {
        if (state == KafkaStreams.State.RUNNING) {
            status(ctx, 200, "READY");
        } else {
            ctx.header("Retry-After", "2");
            ctx.status(503).contentType(JSON).result("{\"code\":\"NOT_READY\",\"message\":\"engine is " + state
                    + "\"}");
        }
    }

    private static void status(Context ctx, int code, String status) {
        ctx.status(code).contentType(JSON).result("{\"status\":\"" + status + "\"}");
    }

    @Override
    public void close() {
        app.stop();
    }
}
