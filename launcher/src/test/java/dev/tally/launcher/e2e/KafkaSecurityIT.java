package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.contract.CommonSettings;
import dev.tally.contract.TopicNames;
import dev.tally.contract.TopicProvisioner;
import dev.tally.gateway.GatewayConfig;
import dev.tally.gateway.GatewayServer;
import dev.tally.launcher.Tally;
import dev.tally.launcher.broker.EmbeddedKafka;
import dev.tally.launcher.testing.Await;
import dev.tally.launcher.testing.CliRun;
import dev.tally.launcher.testing.TallyHttp;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.topology.EngineConfig;
import dev.tally.topology.TallyEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine and the gateway on a broker that encrypts (TLS, a certificate made by keytool for this test),
 * authenticates (SASL/PLAIN) and authorizes (KRaft's
 * StandardAuthorizer, nothing allowed by default), each with its own principal and exactly the ACLs
 * {@code tally acls --apply} creates: usage, a claim, a booking, a composite and a poison record all get
 * their decision or dead letter, the audit reads it all as a principal of its own, while what the ACLs leave
 * out is refused.
 */
@Timeout(180)
class KafkaSecurityIT {

    private static final String PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String STORE_PASSWORD = "store-secret";
    private static final Map<String, String> PASSWORDS = Map.of("admin", "admin-secret", "engine", "engine-secret",
            "gateway", "gateway-secret", "auditor", "auditor-secret");

    @TempDir
    Path dir;

    private EmbeddedKafka broker;
    private String saslBootstrap;
    private TallyEngine engine;
    private GatewayServer gateway;

    private Path truststore;

    @BeforeEach
    void startBroker() throws Exception {
        Path keystore = dir.resolve("broker.p12");
        truststore = dir.resolve("clients-truststore.p12");
        Path certificate = dir.resolve("broker.crt");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-keystore",
                truststore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        int plaintext = EmbeddedKafka.freePort();
        int controller = EmbeddedKafka.freePort();
        int sasl = EmbeddedKafka.freePort();
        saslBootstrap = "127.0.0.1:" + sasl;
        StringBuilder users = new StringBuilder(PLAIN + " required");
        PASSWORDS.forEach((user, password) -> users.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + plaintext + ",CONTROLLER://127.0.0.1:" + controller
                + ",SASL_SSL://127.0.0.1:" + sasl);
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + plaintext + ",CONTROLLER://127.0.0.1:"
                + controller + ",SASL_SSL://127.0.0.1:" + sasl);
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL");
        settings.put("sasl.enabled.mechanisms", "PLAIN");
        settings.put("listener.name.sasl_ssl.plain.sasl.jaas.config", users + ";");
        settings.put("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString());
        settings.put("listener.name.sasl_ssl.ssl.keystore.password", STORE_PASSWORD);
        settings.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // The broker's own listeners (inter-broker, controller) stay unauthenticated and super; clients in this
        // test connect to the SASL listener only.
        settings.put("super.users", "User:ANONYMOUS;User:admin");
        broker = EmbeddedKafka.start(dir.resolve("broker"), plaintext, controller, settings);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (engine != null) {
            engine.close();
        }
        broker.close();
    }

    /** The client settings a deployment gives as kafka.*: TLS trusting the broker's certificate, SASL/PLAIN. */
    private Map<String, Object> sasl(String user) {
        return Map.of("security.protocol", "SASL_SSL", "ssl.truststore.location", truststore.toString(),
                "ssl.truststore.password", STORE_PASSWORD, "ssl.truststore.type", "PKCS12",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                PLAIN + " required username=\"" + user + "\" password=\"" + PASSWORDS.get(user) + "\";");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }

    private static Map<String, Object> asTallySettings(Map<String, Object> client) {
        Map<String, Object> settings = new HashMap<>();
        client.forEach((key, value) -> settings.put("kafka." + key, value));
        return settings;
    }

    private Map<String, Object> client(String user) {
        Map<String, Object> settings = new HashMap<>(sasl(user));
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslBootstrap);
        return settings;
    }

    @Test
    void theEngineAndTheGatewayDecideWithTheAclsTallyAclsCreatesAndNothingMore() throws Exception {
        // Given tally's topics, created by an admin (neither part may create them)
        TopicNames topics = TopicNames.withDefaultPrefix();
        TopicProvisioner.ensure(client("admin"), topics.keyedTopics(), 6, List.of(topics.replies(),
                topics.deadLetter()), 2, (short) 1);
        // And the ACLs tally acls creates, applied with the admin's credentials from a settings file
        Path adminSettings = settingsFile("admin");
        CliRun acls = CliRun.of("acls", "--engine-principal", "User:engine", "--gateway-principal", "User:gateway",
                "--audit-principal", "User:auditor", "--config", adminSettings.toString(), "--bootstrap-servers",
                saslBootstrap, "--apply");
        assertThat(acls.code()).as(acls.err()).isZero();
        // The broker applies new ACLs from its metadata log shortly after the controller commits them
        Await.until(Duration.ofSeconds(30), "the ACLs applied", () -> describes("engine", topics)
                && describes("gateway", topics));

        // When the engine and the gateway start, each as its own principal
        Map<String, Object> engineSettings = asTallySettings(sasl("engine"));
        engineSettings.put(CommonSettings.BOOTSTRAP_SERVERS, saslBootstrap);
        engineSettings.put(CommonSettings.REPLIES_PARTITIONS, 2);
        engineSettings.put(EngineConfig.STATE_DIR, dir.resolve("engine-state").toString());
        engine = TallyEngine.start(EngineConfig.resolve(null, Map.of(), engineSettings));
        Map<String, Object> gatewaySettings = asTallySettings(sasl("gateway"));
        gatewaySettings.put(CommonSettings.BOOTSTRAP_SERVERS, saslBootstrap);
        gatewaySettings.put(CommonSettings.REPLIES_PARTITIONS, 2);
        gatewaySettings.put(GatewayConfig.HTTP_PORT, 0);
        gatewaySettings.put(GatewayConfig.AUTH_REQUIRED, false);
        gatewaySettings.put(GatewayConfig.DECISION_TIMEOUT_MS, 30_000L);
        gateway = GatewayServer.start(GatewayConfig.resolve(null, Map.of(), gatewaySettings));
        Await.until(Duration.ofSeconds(90), "engine running and gateway assigned",
                () -> engine.isRunning() && gateway.isReady());
        TallyHttp http = new TallyHttp("http://127.0.0.1:" + gateway.port());

        // Then every domain is decided through them
        assertThat(http.put("/v1/workspaces/acme/limits/ai.tokens", "{\"limit\":5,\"period\":\"LIFETIME\"}")
                .text("outcome")).isEqualTo("ACCEPTED");
        assertThat(http.post("/v1/workspaces/acme/usage", "{\"feature\":\"ai.tokens\",\"amount\":2}")
                .text("outcome")).isEqualTo("ACCEPTED");
        assertThat(http.post("/v1/claims/tenant-slug", "{\"value\":\"acme\",\"owner\":\"org_1\"}").text("outcome"))
                .isEqualTo("ACCEPTED");
        for (String room : List.of("room-1", "room-2")) {
            assertThat(http.put("/v1/resources/" + room, "{\"capacity\":1,\"slot\":\"DAY\",\"timezone\":\"UTC\"}")
                    .text("outcome")).isEqualTo("ACCEPTED");
        }
        Response booked = http.post("/v1/resources/room-1/bookings",
                "{\"from\":\"2027-01-10\",\"to\":\"2027-01-11\",\"quantity\":1}");
        assertThat(booked.text("outcome")).as(booked.raw()).isEqualTo("ACCEPTED");
        Response composite = http.post("/v1/composite-bookings", "{\"segments\":["
                + "{\"resource\":\"room-1\",\"from\":\"2027-01-12\",\"to\":\"2027-01-13\",\"quantity\":1},"
                + "{\"resource\":\"room-2\",\"from\":\"2027-01-12\",\"to\":\"2027-01-13\",\"quantity\":1}]}");
        assertThat(composite.text("outcome")).as(composite.raw()).isEqualTo("ACCEPTED");

        // And a record the engine cannot read lands in the dead-letter topic, which only it may write
        try (KafkaProducer<String, String> admin = new KafkaProducer<>(producer(client("admin")))) {
            admin.send(new ProducerRecord<>(topics.usageRequests(), "acme", "not json")).get(30, TimeUnit.SECONDS);
        }
        assertThat(deadLetters(topics)).anySatisfy(letter -> assertThat(letter.value()).isEqualTo("not json"));

        // And a restarted engine, which finds its changelogs made and checks them, decides again
        engine.close();
        engine = TallyEngine.start(EngineConfig.resolve(null, Map.of(), engineSettings));
        Await.until(Duration.ofSeconds(90), "engine running again", engine::isRunning);
        Response afterRestart = http.post("/v1/workspaces/acme/usage", "{\"feature\":\"ai.tokens\",\"amount\":3}");
        assertThat(afterRestart.text("outcome")).as(afterRestart.raw()).isEqualTo("ACCEPTED");
        assertThat(afterRestart.number("used")).isEqualTo(5);

        // And tally audit, as its own principal with its read-only ACLs, finds every invariant kept
        CliRun audit = CliRun.of("audit", "--bootstrap-servers", saslBootstrap, "--config",
                settingsFile("auditor").toString(), "--grace-seconds", "0");
        assertThat(audit.code()).as(audit.out() + audit.err()).isEqualTo(Tally.EXIT_OK);
        assertThat(audit.out()).contains("audit: no violation");
        java.util.regex.Matcher read = java.util.regex.Pattern.compile("audit: ([0-9,]+) records read")
                .matcher(audit.out());
        assertThat(read.find()).as(audit.out()).isTrue();
        assertThat(Long.parseLong(read.group(1).replace(",", ""))).as("requests and decisions read").isGreaterThan(20);
        // And an audit as a principal that may not read the decisions fails rather than finding nothing
        CliRun blind = CliRun.of("audit", "--bootstrap-servers", saslBootstrap, "--config",
                settingsFile("gateway").toString(), "--grace-seconds", "0", "--timeout-seconds", "20");
        assertThat(blind.code()).as(blind.out() + blind.err()).isNotEqualTo(Tally.EXIT_OK);

        // And what the ACLs leave out is refused: the gateway's principal may not write decisions
        try (KafkaProducer<String, String> asGateway = new KafkaProducer<>(producer(client("gateway")))) {
            assertThatThrownBy(() -> asGateway.send(new ProducerRecord<>(topics.usageDecisions(), "acme", "{}"))
                    .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** A tally settings file holding {@code user}'s client settings as kafka.* lines. */
    private Path settingsFile(String user) throws java.io.IOException {
        StringBuilder lines = new StringBuilder();
        sasl(user).forEach((key, value) -> lines.append("kafka.").append(key).append('=').append(value).append('\n'));
        return Files.writeString(dir.resolve(user + ".properties"), lines, StandardCharsets.UTF_8);
    }

    /** Whether {@code user} sees every tally topic: only its ACLs let it. */
    private boolean describes(String user, TopicNames topics) {
        try (Admin admin = Admin.create(client(user))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(topics.all());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static Map<String, Object> producer(Map<String, Object> client) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return settings;
    }

    private List<ConsumerRecord<String, String>> deadLetters(TopicNames topics) {
        Map<String, Object> settings = new HashMap<>(client("admin"));
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> letters = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.deadLetter()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(Duration.ofSeconds(60), "a dead letter", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                return !letters.isEmpty();
            });
        }
        return letters;
    }
}
