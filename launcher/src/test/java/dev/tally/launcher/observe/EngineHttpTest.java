package dev.tally.launcher.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Json;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's health and metrics over real HTTP, with the Kafka Streams state given by the test. */
class EngineHttpTest {

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    private final AtomicReference<LocalTasks> tasks = new AtomicReference<>(new LocalTasks("CREATED", List.of(),
            List.of()));
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private EngineHttp http;

    @BeforeEach
    void start() {
        http = EngineHttp.start("127.0.0.1", 0, state::get, tasks::get, registry);
    }

    @AfterEach
    void stop() {
        http.close();
        registry.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyOnlyWhileRunningNotWhileRebalancingOrRestoringOrStopping() throws Exception {
        for (KafkaStreams.State each : KafkaStreams.State.values()) {
            state.set(each);
            HttpResponse<String> ready = get("/health/ready");
            if (each == KafkaStreams.State.RUNNING) {
                assertThat(ready.statusCode()).isEqualTo(200);
            } else {
                assertThat(ready.statusCode()).as("%s", each).isEqualTo(503);
                assertThat(ready.body()).contains("NOT_READY").contains(each.name());
                assertThat(ready.headers().firstValue("Retry-After")).hasValue("2");
            }
        }
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void tasksAreServedAsTheyAreNowWithTheirPartitions() throws Exception {
        tasks.set(new LocalTasks("RUNNING", List.of(new LocalTasks.Task("0_1", List.of("t.usage.requests-1"))),
                List.of(new LocalTasks.Task("0_0", List.of("t.usage.requests-0")))));

        HttpResponse<String> served = get("/tasks");

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(Json.mapper().readValue(served.body(), LocalTasks.class)).isEqualTo(tasks.get());
        // Read at each call, not once
        tasks.set(new LocalTasks("REBALANCING", List.of(), List.of()));
        assertThat(Json.mapper().readValue(get("/tasks").body(), LocalTasks.class)).isEqualTo(tasks.get());
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        new EngineMetrics(registry, System::currentTimeMillis).decided("usage", "OK", System.currentTimeMillis());

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body()).contains("tally_engine_decisions_total{code=\"OK\",domain=\"usage\","
                + "outcome=\"ACCEPTED\"} 1.0")
                .contains("tally_engine_decision_latency_seconds_bucket{le=\"30.0\"} 1")
                .contains("tally_engine_decision_latency_seconds_count 1");
    }
}
