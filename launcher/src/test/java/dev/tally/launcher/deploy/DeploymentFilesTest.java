package dev.tally.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.ConfigSources;
import dev.tally.contract.TopicNames;
import dev.tally.gateway.GatewayConfig;
import dev.tally.gateway.auth.KeyLines;
import dev.tally.launcher.Tally;
import dev.tally.topology.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile, checked for what they must say, since no Docker engine runs here
 * to try them: a three-broker KRaft cluster that keeps writes on two replicas, every topic tally uses,
 * two engines and two gateways whose settings are keys tally declares, and an image that runs the launcher.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..");
    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> service) {
        return ((Map<String, Object>) service.get("environment")).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    /** A subset of the Compose specification's service attributes: a misspelt one would be ignored or refused. */
    private static final Set<String> SERVICE_ATTRIBUTES = Set.of("build", "command", "container_name", "depends_on",
            "entrypoint", "environment", "healthcheck", "hostname", "image", "ports", "restart", "volumes");
    /** The Compose specification's conditions of a long-form {@code depends_on}. */
    private static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy",
            "service_completed_successfully");

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceUsesAttributesOfTheComposeSpecificationAndDependsOnServicesThatExist() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        // Top level: services, volumes, and extension fields (x-...) only
        assertThat(compose.keySet()).allSatisfy(key -> assertThat(key).matches("services|volumes|x-.+"));
        Map<String, Map<String, Object>> services = services();
        Set<String> namedVolumes = ((Map<String, Object>) compose.get("volumes")).keySet();
        services.forEach((name, service) -> {
            assertThat(SERVICE_ATTRIBUTES).as("%s's attributes", name).containsAll(service.keySet());
            assertThat(service.get("restart")).as(name).isIn(null, "no", "always", "on-failure", "unless-stopped");
            Object dependsOn = service.getOrDefault("depends_on", List.of());
            Map<String, Object> dependencies = dependsOn instanceof List<?> list
                    ? list.stream().collect(Collectors.toMap(String::valueOf, d -> Map.of()))
                    : (Map<String, Object>) dependsOn;
            dependencies.forEach((dependency, how) -> {
                assertThat(services).as("%s depends on", name).containsKey(dependency);
                Object condition = ((Map<String, Object>) how).get("condition");
                if (condition != null) {
                    assertThat(CONDITIONS).as("%s's condition on %s", name, dependency).contains(condition.toString());
                }
            });
            // A named volume a service mounts is declared; a host path starts with ./
            for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
                String source = volume.toString().split(":")[0];
                assertThat(source.startsWith("./") || namedVolumes.contains(source)).as("%s mounts %s", name, volume)
                        .isTrue();
            }
        });
    }

    @Test
    void threeKraftBrokersOfTheKafkaVersionTallyIsBuiltAgainstKeepEveryWriteOnTwoReplicas() throws Exception {
        Map<String, Map<String, Object>> services = services();
        Set<String> nodeIds = new HashSet<>();
        for (String broker : BROKERS) {
            Map<String, Object> service = services.get(broker);
            assertThat(service.get("image")).as(broker).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
            Map<String, String> env = env(service);
            assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
            nodeIds.add(env.get("KAFKA_NODE_ID"));
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("PLAINTEXT://" + broker + ":9092");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"))
                    .isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
            assertThat(env).containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2");
            // A KRaft cluster id is 16 bytes in base64url
            assertThat(Base64.getUrlDecoder().decode(env.get("CLUSTER_ID"))).hasSize(16);
        }
        assertThat(nodeIds).containsExactlyInAnyOrder("1", "2", "3");
    }

    @Test
    void theTopicsServiceCreatesEveryTopicTallyUsesReplicatedThreeTimes() throws Exception {
        Map<String, Object> topics = services().get("topics");
        String script = String.join("\n", (List<String>) topics.get("command"));

        for (String topic : new TopicNames(TopicNames.DEFAULT_PREFIX).all()) {
            assertThat(script).as(topic).containsPattern("\\b" + topic.replace(".", "\\.") + "\\b");
        }
        assertThat(script).contains("--replication-factor 3").contains("min.insync.replicas=2");
        assertThat((List<String>) topics.get("depends_on")).containsExactlyInAnyOrderElementsOf(BROKERS);
    }

    @Test
    void twoEnginesAndTwoGatewaysOnTheBrokersWithSettingsTallyDeclaresAndPortsOfTheirOwn() throws Exception {
        Map<String, Map<String, Object>> services = services();
        Set<String> declared = new HashSet<>();
        EngineConfig.DEFINITION.names().forEach(key -> declared.add(ConfigSources.envName(key)));
        GatewayConfig.DEFINITION.names().forEach(key -> declared.add(ConfigSources.envName(key)));
        Set<Object> hostPorts = new HashSet<>();
        Set<Object> stateVolumes = new HashSet<>();
        for (String name : List.of("engine-1", "engine-2", "gateway-1", "gateway-2")) {
            Map<String, Object> service = services.get(name);
            String role = name.substring(0, name.indexOf('-'));
            assertThat(service.get("command")).as(name).isEqualTo(List.of(role));
            assertThat(service.get("build")).as(name).isEqualTo(".");
            Map<String, String> env = env(service);
            // A misspelt setting would be ignored silently by the other deployable's reading: none is
            assertThat(declared).as(name).containsAll(env.keySet());
            assertThat(env.get("TALLY_BOOTSTRAP_SERVERS")).isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
            assertThat(env).containsEntry("TALLY_TOPIC_REPLICATION_FACTOR", "3");
            List<String> ports = (List<String>) service.get("ports");
            assertThat(ports).hasSize(1);
            String containerPort = role.equals("engine") ? "8081" : "8080";
            assertThat(ports.get(0)).endsWith(":" + containerPort);
            assertThat(hostPorts.add(ports.get(0).split(":")[0])).as("%s's host port is its own", name).isTrue();
            if (role.equals("engine")) {
                assertThat(env).containsEntry("TALLY_ENGINE_STANDBY_REPLICAS", "1")
                        .containsEntry("TALLY_ENGINE_HTTP_HOST", "0.0.0.0");
                stateVolumes.add(((List<String>) service.get("volumes")).get(0).split(":")[0]);
            } else {
                assertThat(env).containsEntry("TALLY_HTTP_HOST", "0.0.0.0")
                        .containsEntry("TALLY_AUTH_KEYS_FILE", "/etc/tally/api-keys");
                // The directory holding the key file is mounted, not the file: a file replaced by a rename
                // (README, rotating keys) is a new inode, which a single-file bind mount never shows.
                String[] mount = ((List<String>) service.get("volumes")).get(0).split(":");
                Path keyFile = Path.of(env.get("TALLY_AUTH_KEYS_FILE"));
                assertThat(mount[1]).as("%s's mount", name).isEqualTo(keyFile.getParent().toString());
                assertThat(ROOT.resolve(mount[0]).resolve(keyFile.getFileName().toString())).isRegularFile();
            }
        }
        assertThat(stateVolumes).hasSize(2);
        // The key file the gateways mount is there, and reads as keys (none shipped)
        Path keys = ROOT.resolve("docker/api-keys");
        assertThat(KeyLines.parse(Files.readAllLines(keys), keys.toString())).isEmpty();
        assertThat(EngineConfig.DEFINITION.defaultValues().get(EngineConfig.HTTP_PORT)).isEqualTo(8081);
        assertThat(GatewayConfig.DEFINITION.defaultValues().get(GatewayConfig.HTTP_PORT)).isEqualTo(8080);
    }

    @Test
    void theImageRunsTheLauncherOnAJavaRuntimeAndExposesBothPorts() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
        List<String> stages = lines.stream().filter(line -> line.startsWith("FROM ")).toList();

        assertThat(stages).hasSize(2);
        assertThat(stages.get(1)).isEqualTo("FROM eclipse-temurin:17-jre");
        assertThat(lines).contains("ENTRYPOINT [\"java\", \"-cp\", \"/app/lib/*\", \"" + Tally.class.getName() + "\"]")
                .contains("EXPOSE 8080 8081")
                .anySatisfy(line -> assertThat(line).startsWith("USER ").doesNotContain("root"));
    }
}
