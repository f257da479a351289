package dev.tally.launcher.observe;

import dev.tally.gateway.http.Probes;
import dev.tally.schemas.Json;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The engine's HTTP face for operators, in the gateway's shape ({@link Probes}): {@code /health/live},
 * {@code /health/ready} (200 only while Kafka Streams is RUNNING: not while it rebalances or restores its
 * stores; 503 otherwise, naming the state) and {@code /metrics}; and {@code /tasks}, the stream tasks this
 * instance runs ({@link LocalTasks}).
 */
public final class EngineHttp implements AutoCloseable {

    private final Javalin app;

    private EngineHttp(Javalin app) {
        this.app = app;
    }

    /** Serves on {@code host:port} (port 0 picks one) until closed. */
    public static EngineHttp start(String host, int port, Supplier<KafkaStreams.State> state,
                                   Supplier<LocalTasks> tasks, PrometheusMeterRegistry registry) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            Probes.register(config.routes, () -> {
                KafkaStreams.State now = state.get();
                return now == KafkaStreams.State.RUNNING ? null : "engine is " + now;
            }, registry);
            config.routes.get("/tasks", ctx -> ctx.json(tasks.get()));
        });
        app.start(host, port);
        return new EngineHttp(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
