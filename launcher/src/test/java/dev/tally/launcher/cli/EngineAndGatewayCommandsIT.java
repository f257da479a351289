package dev.tally.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.gateway.auth.Secrets;
import dev.tally.launcher.Tally;
import dev.tally.launcher.observe.LocalTasks;
import dev.tally.launcher.testing.Await;
import dev.tally.launcher.testing.CliRun;
import dev.tally.launcher.testing.EngineJvms;
import dev.tally.launcher.testing.KafkaExtension;
import dev.tally.launcher.testing.TallyHttp;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TallyProcess;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestKafka;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tally engine} and {@code tally gateway}, each in a process of its own, against a cluster that is
 * already there: they create the topics they miss, with the configured partitions, and serve together.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EngineAndGatewayCommandsIT {

    private static final String OPS_SECRET = Secrets.newSecret();
    private static final String APP_SECRET = Secrets.newSecret();
    private static final String KAFKA_PASSWORD = "pw-" + Secrets.newSecret();
    private static final Pattern HTTP_ADDRESS = Pattern.compile("serving (http://\\S+) against");

    @TempDir
    Path dir;

    @Test
    void theEngineAndTheGatewayRunApartAndDecideTogether(TestKafka kafka) throws Exception {
        // Given a cluster without tally's topics, and one settings file for both parts
        String prefix = TestNames.prefix("commands");
        Path config = writeConfig(prefix);

        // When the gateway (through the environment) and the engine (through an option) start on it
        try (TallyProcess gateway = TallyProcess.start("commands-gateway",
                     Map.of("TALLY_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "TALLY_HTTP_PORT", "0"),
                     "gateway", "--config", config.toString());
             TallyProcess engine = TallyProcess.start("commands-engine", Map.of(),
                     "engine", "--bootstrap-servers", kafka.bootstrapServers(), "--config", config.toString())) {
            gateway.awaitOutput(Duration.ofSeconds(90), "tally gateway serving");
            engine.awaitOutput(Duration.ofSeconds(90), "tally engine started");

            // Then the topics exist with the configured partitions
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                Map<String, TopicDescription> topics = admin.describeTopics(Set.of(prefix + "usage.requests",
                        prefix + "usage.decisions", prefix + "replies", prefix + "dead-letter"))
                        .allTopicNames().get(30, TimeUnit.SECONDS);
                assertThat(topics.get(prefix + "usage.requests").partitions()).hasSize(3);
                assertThat(topics.get(prefix + "usage.decisions").partitions()).hasSize(3);
                assertThat(topics.get(prefix + "replies").partitions()).hasSize(2);
            }

            // And a limit set by the operator's key and spent by the app's through the gateway is decided by the
            // engine; without a key, or with the app's key on the limit, nothing is
            TallyHttp anonymous = new TallyHttp(gateway.outputMatch(HTTP_ADDRESS).replace("0.0.0.0", "127.0.0.1"));
            String limitBody = "{\"limit\":10,\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}";
            assertThat(anonymous.put("/v1/workspaces/acme/limits/ai.tokens", limitBody).status()).isEqualTo(401);
            TallyHttp http = anonymous.withKey(APP_SECRET);
            assertThat(http.put("/v1/workspaces/acme/limits/ai.tokens", limitBody).status()).isEqualTo(403);
            Response limit = anonymous.withKey(OPS_SECRET).put("/v1/workspaces/acme/limits/ai.tokens",
                    "{\"limit\":10,\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}");
            assertThat(limit.status()).as(limit.raw()).isEqualTo(200);
            Response used = http.post("/v1/workspaces/acme/usage", "{\"feature\":\"ai.tokens\",\"amount\":10}");
            assertThat(used.status()).as(used.raw()).isEqualTo(200);
            Response over = http.post("/v1/workspaces/acme/usage", "{\"feature\":\"ai.tokens\",\"amount\":1}");
            assertThat(over.status()).as(over.raw()).isEqualTo(409);
            assertThat(http.get("/v1/workspaces/globex/usage").status()).isEqualTo(404);

            // And the engine says it is ready and counts what it decided, in Prometheus text
            TallyHttp engineHttp = new TallyHttp(engine.outputMatch(EngineJvms.HTTP_ADDRESS));
            assertThat(engineHttp.get("/health/live").status()).isEqualTo(200);
            // (ready may flap for a moment after its first decisions: a rebalance right after start, as the
            // topics the gateway and the engine created settle, makes it 503 until the engine runs again)
            Await.until(Duration.ofSeconds(30), "the engine ready",
                    () -> engineHttp.get("/health/ready").status() == 200);
            // And, the only instance, it runs every request partition as an active task, with no standby
            // (one is asked for, but there is no other instance to keep it)
            List<String> usagePartitions = List.of(prefix + "usage.requests-0", prefix + "usage.requests-1",
                    prefix + "usage.requests-2");
            AtomicReference<LocalTasks> tasks = new AtomicReference<>();
            Await.until(Duration.ofSeconds(30), () -> {
                tasks.set(EngineJvms.tasks(engineHttp));
                return "RUNNING".equals(tasks.get().state())
                        && activePartitions(tasks.get()).containsAll(usagePartitions);
            }, () -> "the usage request partitions active in " + tasks.get());
            assertThat(tasks.get().standby()).as("standby tasks of %s", tasks.get()).isEmpty();
            String metrics = engineHttp.get("/metrics").raw();
            assertThat(metrics).contains("tally_engine_decisions_total{code=\"OK\",domain=\"usage\","
                    + "outcome=\"ACCEPTED\"} 1.0");
            assertThat(metrics).contains("tally_engine_decisions_total{code=\"QUOTA_EXCEEDED\",domain=\"usage\","
                    + "outcome=\"REJECTED\"} 1.0");
            assertThat(metrics).contains("tally_engine_decision_latency_seconds_count 3");
            assertThat(metrics).contains("kafka_stream_");
            // And both log JSON lines: the engine one structured warning for the rejected usage, with its
            // requestId, and the gateway one for the call it refused without a key
            JsonNode rejection = logLine(engine, "usage request rejected");
            assertThat(rejection.path("level").asText()).isEqualTo("WARN");
            assertThat(kvp(rejection, "requestId")).isEqualTo(over.text("requestId"));
            // (every line logged while a request is handled names it in the MDC, this one included)
            assertThat(rejection.path("mdc").path("requestId").asText()).isEqualTo(over.text("requestId"));
            assertThat(kvp(rejection, "code")).isEqualTo("QUOTA_EXCEEDED");
            JsonNode refused = logLine(gateway, "call refused by the gateway");
            assertThat(refused.path("level").asText()).isEqualTo("WARN");
            assertThat(kvp(refused, "status")).isEqualTo("401");
            // And one warning per rejection, none per accepted request: the engine rejected one usage, the
            // gateway refused three calls (no key 401, the app's key on a limit 403, another workspace 404)
            Await.until(Duration.ofSeconds(10), "the gateway's three refusals logged",
                    () -> messages(gateway).stream().filter("call refused by the gateway"::equals).count() >= 3);
            assertThat(messages(gateway)).filteredOn("call refused by the gateway"::equals).hasSize(3);
            assertThat(messages(engine)).filteredOn("usage request rejected"::equals).hasSize(1);
            assertThat(engine.output()).as("engine log lines about the accepted usage")
                    .doesNotContain(used.text("requestId"));
            assertThat(gateway.output()).as("gateway log lines about the accepted usage")
                    .doesNotContain(used.text("requestId"));
            // And each logged its resolved configuration once, and the Kafka password of its settings nowhere
            assertThat(messages(engine)).filteredOn(m -> m.startsWith("engine configuration: ")).hasSize(1);
            assertThat(messages(gateway)).filteredOn(m -> m.startsWith("gateway configuration: ")).hasSize(1);
            assertThat(engine.output()).contains("sasl.jaas.config").doesNotContain(KAFKA_PASSWORD);
            assertThat(gateway.output()).contains("sasl.jaas.config").doesNotContain(KAFKA_PASSWORD);
            // And a record that cannot be read is counted as a dead letter of its topic
            try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers())) {
                producer.send(new ProducerRecord<>(prefix + "usage.requests", "acme", "not json")).get();
            }
            String deadLetter = "tally_engine_dead_letters_total{topic=\"" + prefix + "usage.requests\"} 1.0";
            Await.until(Duration.ofSeconds(30), "the dead letter counted",
                    () -> engineHttp.get("/metrics").raw().contains(deadLetter));

            // And both stop cleanly on SIGTERM
            assertThat(gateway.stop(Duration.ofSeconds(60))).isZero();
            assertThat(engine.stop(Duration.ofSeconds(60))).isZero();
        }
    }

    @Test
    void aGatewayWithoutKeysDoesNotStartAndSaysWhichSettingIsMissing(TestKafka kafka) {
        CliRun run = CliRun.of("gateway", "--bootstrap-servers", kafka.bootstrapServers());

        assertThat(run.code()).isEqualTo(Tally.EXIT_USAGE);
        assertThat(run.err()).contains("bad configuration").contains("auth.keys.file")
                .contains("the gateway requires credentials").contains("auth.jwt.key.file");
    }

    /**
     * The process's log lines so far, each of which must be one JSON object: every line of its output is one,
     * but for the command's own lines about itself ({@code tally gateway serving ...}).
     */
    private static List<JsonNode> logLines(TallyProcess process) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : process.output().split("\n")) {
            if (line.startsWith("tally ") || line.isBlank()) {
                continue;
            }
            try {
                lines.add(Json.mapper().readTree(line));
            } catch (IOException e) {
                throw new AssertionError("a log line that is not JSON: " + line, e);
            }
            assertThat(lines.get(lines.size() - 1).isObject()).as(line).isTrue();
        }
        return lines;
    }

    private static List<String> messages(TallyProcess process) {
        return logLines(process).stream().map(line -> line.path("formattedMessage").asText()).toList();
    }

    /** The JSON log line of a process whose message is {@code message}. */
    private static JsonNode logLine(TallyProcess process, String message) {
        return logLines(process).stream().filter(line -> line.path("formattedMessage").asText().equals(message))
                .findFirst().orElseThrow(() -> new AssertionError("no JSON log line '" + message + "' in "
                        + process.log()));
    }

    /** A structured field of a log line, from its kvpList. */
    private static String kvp(JsonNode line, String key) {
        for (JsonNode pair : line.path("kvpList")) {
            if (pair.has(key)) {
                return pair.path(key).asText();
            }
        }
        return line.path("kvpList").path(key).asText(null);
    }

    private Path writeConfig(String prefix) throws IOException {
        Properties props = new Properties();
        props.setProperty("topic.prefix", prefix);
        props.setProperty("topic.partitions", "3");
        props.setProperty("topic.replies.partitions", "2");
        props.setProperty("engine.application.id", prefix + "engine");
        props.setProperty("engine.http.port", "0");
        // A standby asked for, with no other instance to keep it: /tasks must show none
        props.setProperty("engine.standby.replicas", "1");
        props.setProperty("engine.state.dir", dir.resolve("engine-state").toString());
        props.setProperty("decision.timeout.ms", "30000");
        // A credential the clients carry (unused on this plaintext listener), which no log line may show
        props.setProperty("kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"tally\" password=\"" + KAFKA_PASSWORD + "\";");
        Path keys = Files.write(dir.resolve("keys"), List.of(
                "ops sha256:" + Secrets.sha256Hex(OPS_SECRET) + " admin",
                "app sha256:" + Secrets.sha256Hex(APP_SECRET) + " workspace:acme"));
        props.setProperty("auth.keys.file", keys.toString());
        Path file = dir.resolve("tally.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "EngineAndGatewayCommandsIT");
        }
        return file;
    }

    /** The input partitions of the tasks an engine runs as active. */
    private static List<String> activePartitions(LocalTasks tasks) {
        return tasks.active().stream().flatMap(task -> task.partitions().stream()).toList();
    }
}
