package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.contract.CommonSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's settings resolve as every deployable's do: declared defaults, then an optional properties
 * file, then {@code TALLY_*} environment variables, then overrides; a bad value stops start naming its key.
 */
class EngineConfigTest {

    @Test
    void everyEngineKeyHasItsDefault() {
        EngineConfig config = EngineConfig.resolve(null, Map.of(), Map.of());

        assertThat(config.getString(EngineConfig.APPLICATION_ID)).isEqualTo("tally-engine");
        assertThat(config.getString(EngineConfig.STATE_DIR)).isEqualTo(".tally/engine-state");
        assertThat(config.getLong(EngineConfig.COMMIT_INTERVAL_MS)).isEqualTo(100L);
        assertThat(config.getLong(EngineConfig.POLL_MS)).isEqualTo(5L);
        assertThat(config.getInt(EngineConfig.STREAM_THREADS)).isEqualTo(1);
        assertThat(config.getInt(EngineConfig.STANDBY_REPLICAS)).isZero();
        assertThat(config.getLong(EngineConfig.IDEMPOTENCY_RETENTION_MS)).isEqualTo(7L * 24 * 60 * 60 * 1000);
        assertThat(config.getLong(EngineConfig.STORE_CACHE_BYTES)).isEqualTo(16L * 1024 * 1024);
        assertThat(config.getLong(EngineConfig.COMPOSITE_TIMEOUT_MS)).isEqualTo(10_000L);
        assertThat(config.getString(EngineConfig.HTTP_HOST)).isEqualTo("127.0.0.1");
        assertThat(config.getInt(EngineConfig.HTTP_PORT)).isEqualTo(8081);
        // The settings shared with the gateway, which must agree with it.
        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.topicNames().prefix()).isEqualTo("tally.");
        assertThat(config.claimScopes().names()).containsExactly("tenant-slug", "customer-phone", "customer-email");
        assertThat(config.kafkaClientSettings()).isEmpty();
    }

    @Test
    void aFileOverridesTheDefaults(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("engine.properties"), """
                engine.application.id = acme-engine
                engine.commit.interval.ms=250
                engine.stream.threads=4
                topic.prefix=acme.
                kafka.security.protocol=SSL
                """);

        EngineConfig config = EngineConfig.resolve(file, Map.of(), Map.of());

        assertThat(config.getString(EngineConfig.APPLICATION_ID)).as("trimmed").isEqualTo("acme-engine");
        assertThat(config.getLong(EngineConfig.COMMIT_INTERVAL_MS)).isEqualTo(250L);
        assertThat(config.getInt(EngineConfig.STREAM_THREADS)).isEqualTo(4);
        assertThat(config.topicNames().prefix()).isEqualTo("acme.");
        assertThat(config.kafkaClientSettings()).containsExactly(Map.entry("security.protocol", "SSL"));
        assertThat(config.getLong(EngineConfig.POLL_MS)).as("a key the file leaves out keeps its default")
                .isEqualTo(5L);
    }

    @Test
    void theEnvironmentOverridesTheFileAndOverridesTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("engine.properties"),
                "engine.commit.interval.ms=250\nengine.stream.threads=4\nengine.http.port=9000\n");

        EngineConfig config = EngineConfig.resolve(file, Map.of(
                "TALLY_ENGINE_COMMIT_INTERVAL_MS", "400",
                "TALLY_ENGINE_HTTP_PORT", "9100",
                // Variables are read for declared keys only: kafka.* comes from the file or overrides.
                "TALLY_KAFKA_SECURITY_PROTOCOL", "SSL"), Map.of(EngineConfig.HTTP_PORT, 9200));

        assertThat(config.getLong(EngineConfig.COMMIT_INTERVAL_MS)).isEqualTo(400L);
        assertThat(config.getInt(EngineConfig.STREAM_THREADS)).as("the file's, no variable names it").isEqualTo(4);
        assertThat(config.getInt(EngineConfig.HTTP_PORT)).isEqualTo(9200);
        assertThat(config.kafkaClientSettings()).isEmpty();
    }

    @Test
    void aValueThatIsNotANumberFailsNamingItsKey(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> EngineConfig.resolve(null, Map.of("TALLY_ENGINE_POLL_MS", "soon"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(EngineConfig.POLL_MS)
                .hasMessageContaining("soon");
        Path file = Files.writeString(dir.resolve("engine.properties"), "engine.stream.threads=two\n");
        assertThatThrownBy(() -> EngineConfig.resolve(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(EngineConfig.STREAM_THREADS);
    }

    @Test
    void aNumberOutOfItsRangeFailsNamingItsKey() {
        assertThatThrownBy(() -> EngineConfig.resolve(null, Map.of("TALLY_ENGINE_COMPOSITE_TIMEOUT_MS", "99"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining(EngineConfig.COMPOSITE_TIMEOUT_MS);
        assertThatThrownBy(() -> EngineConfig.resolve(null, Map.of(), Map.of(EngineConfig.HTTP_PORT, 65_536)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(EngineConfig.HTTP_PORT);
        assertThatThrownBy(() -> EngineConfig.resolve(null, Map.of(), Map.of(EngineConfig.IDEMPOTENCY_RETENTION_MS,
                "59999"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(EngineConfig.IDEMPOTENCY_RETENTION_MS);
    }

    @Test
    void aNameOutsideAClosedSetFailsNamingItsKeyAndTheName() {
        // The engine has no enum-typed key; a claim scope's normaliser is its closed set of names.
        assertThatThrownBy(() -> EngineConfig.resolve(null, Map.of("TALLY_CLAIMS_SCOPES", "tenant-slug=soundex"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining(CommonSettings.CLAIM_SCOPES)
                .hasMessageContaining("soundex");
    }

    @Test
    void aFileThatCannotBeReadFailsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> EngineConfig.resolve(missing, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(missing.toString());
    }
}
