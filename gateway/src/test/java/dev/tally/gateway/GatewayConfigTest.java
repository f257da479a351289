package dev.tally.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.gateway.auth.ApiKey;
import dev.tally.gateway.auth.ApiKeys;
import dev.tally.gateway.auth.Authentication;
import dev.tally.gateway.auth.TestTokens;
import dev.tally.gateway.auth.Secrets;
import dev.tally.gateway.kafka.KafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

    @Test
    void everyKeyHasItsDefault() {
        GatewayConfig config = GatewayConfig.resolve(null, Map.of(), Map.of());

        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.decisionTimeoutMs()).isEqualTo(5_000L);
        assertThat(config.pendingMax()).isEqualTo(10_000);
        assertThat(config.bodyMaxBytes()).isEqualTo(65_536);
        assertThat(config.producerLingerMs()).isEqualTo(1);
        assertThat(config.topicNames().prefix()).isEqualTo("tally.");
        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void fileThenEnvironmentThenOverridesWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.properties");
        Files.writeString(file, "http.port=9000\npending.max=50\ndecision.timeout.ms=700\n"
                + "kafka.security.protocol=SSL\n");

        GatewayConfig config = GatewayConfig.resolve(file,
                Map.of("TALLY_HTTP_PORT", "9100", "TALLY_PENDING_MAX", "60"), Map.of("http.port", 9200));

        assertThat(config.httpPort()).isEqualTo(9200);
        assertThat(config.pendingMax()).isEqualTo(60);
        assertThat(config.decisionTimeoutMs()).isEqualTo(700L);
        assertThat(config.kafkaClientSettings()).containsEntry("security.protocol", "SSL");
    }

    @Test
    void aBadValueFailsNamingItsKey() {
        assertThatThrownBy(() -> GatewayConfig.resolve(null, Map.of("TALLY_PENDING_MAX", "0"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pending.max");
        assertThatThrownBy(() -> GatewayConfig.resolve(null, Map.of(), Map.of("http.port", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
    }

    @Test
    void claimScopesAreReadFromTheEnvironmentAndABadOneFailsNamingTheKeyAndTheEntry() {
        GatewayConfig config = GatewayConfig.resolve(null,
                Map.of("TALLY_CLAIMS_SCOPES", "workspace-slug=slug, vat-id=exact"), Map.of());

        assertThat(config.claimScopes().names()).containsExactly("workspace-slug", "vat-id");
        assertThat(GatewayConfig.resolve(null, Map.of(), Map.of()).claimScopes().names())
                .containsExactly("tenant-slug", "customer-phone", "customer-email");
        assertThatThrownBy(() -> GatewayConfig.resolve(null, Map.of("TALLY_CLAIMS_SCOPES", "slug=soundex"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("claims.scopes")
                .hasMessageContaining("soundex");
    }

    @Test
    void clientsKeepTheSettingsTheGuaranteesRestOn() {
        GatewayConfig config = GatewayConfig.resolve(null, Map.of(), Map.of("topic.prefix", "t.",
                "producer.linger.ms", 3, "kafka.acks", "1", "kafka.enable.idempotence", "false",
                "kafka.isolation.level", "read_uncommitted", "kafka.security.protocol", "SSL"));

        Map<String, Object> producer = KafkaClients.producer(config);
        Map<String, Object> consumer = KafkaClients.replyConsumer(config);

        assertThat(producer).containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("linger.ms", 3).containsEntry("security.protocol", "SSL");
        assertThat(consumer).containsEntry("group.id", "t.gateway").containsEntry("group.protocol", "consumer")
                .containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", false)
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void withoutKeysTheGatewayRefusesToStartUnlessTheyAreNotRequired() {
        assertThatThrownBy(() -> GatewayConfig.resolve(null, Map.of(), Map.of()).authentication())
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.keys.file")
                .hasMessageContaining("auth.required=false");
        assertThat(GatewayConfig.resolve(null, Map.of("TALLY_AUTH_REQUIRED", "false"), Map.of()).authentication())
                .isNull();
    }

    @Test
    void keysComeInlineFromTheEnvironmentAndFromAFileAndABadOneNamesItsKey(@TempDir Path dir) throws Exception {
        String inline = "ops sha256:" + Secrets.sha256Hex("ops-secret") + " admin;app sha256:"
                + Secrets.sha256Hex("app-secret") + " workspace:acme";
        Path file = Files.writeString(dir.resolve("keys"), "desk sha256:" + Secrets.sha256Hex("desk-secret")
                + " resource:desk-*\n");

        ApiKeys keys = GatewayConfig.resolve(null, Map.of("TALLY_AUTH_KEYS", inline, "TALLY_AUTH_KEYS_FILE",
                file.toString()), Map.of()).authentication().keys();

        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.find("app-secret")).get().extracting(ApiKey::name).isEqualTo("app");
        assertThat(keys.find("desk-secret")).get().extracting(ApiKey::name).isEqualTo("desk");
        assertThatThrownBy(() -> GatewayConfig.resolve(null, Map.of("TALLY_AUTH_KEYS", "ops sha256:12 admin"),
                Map.of()).authentication()).isInstanceOf(ConfigException.class).hasMessageContaining("auth.keys line 1");
        assertThatThrownBy(() -> GatewayConfig.resolve(null, Map.of("TALLY_AUTH_KEYS_FILE",
                dir.resolve("missing").toString()), Map.of()).authentication())
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.keys.file");
    }

    @Test
    void jwtsNeedAKeyFileAnIssuerAndAnAudienceAndEachMissingOneIsNamed(@TempDir Path dir) {
        Path keys = new TestTokens("k1").writeJwkSet(dir.resolve("jwks.json"));
        Map<String, String> complete = Map.of("TALLY_AUTH_JWT_KEY_FILE", keys.toString(),
                "TALLY_AUTH_JWT_ISSUER", TestTokens.ISSUER, "TALLY_AUTH_JWT_AUDIENCE", TestTokens.AUDIENCE);

        Authentication authentication = GatewayConfig.resolve(null, complete, Map.of()).authentication();
        assertThat(authentication.keys()).isNull();
        assertThat(authentication.tokens()).isNotNull();

        for (String missing : List.of("TALLY_AUTH_JWT_ISSUER", "TALLY_AUTH_JWT_AUDIENCE", "TALLY_AUTH_JWT_KEY_FILE")) {
            Map<String, String> env = new HashMap<>(complete);
            env.remove(missing);
            String key = missing.substring("TALLY_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            assertThatThrownBy(() -> GatewayConfig.resolve(null, env, Map.of()).authentication()).as(missing)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(key);
        }
        Map<String, String> badAlgorithm = new HashMap<>(complete);
        badAlgorithm.put("TALLY_AUTH_JWT_ALGORITHM", "none");
        assertThatThrownBy(() -> GatewayConfig.resolve(null, badAlgorithm, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.jwt.algorithm");
        Map<String, String> hmacOnAnRsaKey = new HashMap<>(complete);
        hmacOnAnRsaKey.put("TALLY_AUTH_JWT_ALGORITHM", "HS256");
        // A public key taken for an HMAC secret would let anyone who has it sign tokens
        assertThatThrownBy(() -> GatewayConfig.resolve(null, hmacOnAnRsaKey, Map.of()).authentication())
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.jwt.key.file")
                .hasMessageContaining("public key");
    }
}
