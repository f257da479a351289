package dev.tally.gateway;

import dev.tally.contract.CommonSettings;
import dev.tally.contract.ConfigSources;
import dev.tally.contract.TallyConfig;
import dev.tally.gateway.auth.ApiKey;
import dev.tally.gateway.auth.ApiKeys;
import dev.tally.gateway.auth.Authentication;
import dev.tally.gateway.auth.KeyLines;
import dev.tally.gateway.auth.TokenSettings;
import dev.tally.gateway.auth.Tokens;
import com.nimbusds.jose.JWSAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The gateway's settings, each declared once with its default and doc, over the shared ones of
 * {@link CommonSettings}. Kafka's {@link ConfigDef} types and validates them and names the key at fault.
 */
public final class GatewayConfig extends TallyConfig {

    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_BODY_MAX_BYTES = "http.body.max.bytes";
    public static final String DECISION_TIMEOUT_MS = "decision.timeout.ms";
    public static final String PENDING_MAX = "pending.max";
    public static final String PRODUCER_LINGER_MS = "producer.linger.ms";
    public static final String AUTH_KEYS_FILE = "auth.keys.file";
    public static final String AUTH_KEYS = "auth.keys";
    public static final String AUTH_REQUIRED = "auth.required";
    public static final String RATE_LIMIT_PER_KEY = "rate.limit.per.key";
    public static final String AUTH_JWT_KEY_FILE = "auth.jwt.key.file";
    public static final String AUTH_JWT_ISSUER = "auth.jwt.issuer";
    public static final String AUTH_JWT_AUDIENCE = "auth.jwt.audience";
    public static final String AUTH_JWT_ALGORITHM = "auth.jwt.algorithm";
    public static final String AUTH_JWT_GRANTS_CLAIM = "auth.jwt.grants.claim";
    public static final String AUTH_JWT_CLOCK_SKEW_SECONDS = "auth.jwt.clock.skew.seconds";
    private static final String[] JWT_ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
            "ES384", "ES512", "HS256", "HS384", "HS512"};

    public static final ConfigDef DEFINITION = CommonSettings.define()
            .define(HTTP_HOST, Type.STRING, "127.0.0.1", Importance.HIGH,
                    "Interface the HTTP server binds to. Loopback by default: set 0.0.0.0 to serve other hosts.")
            .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65_535), Importance.HIGH,
                    "HTTP port; 0 picks a free one.")
            .define(HTTP_BODY_MAX_BYTES, Type.INT, 65_536, Range.atLeast(1), Importance.LOW,
                    "Largest request body accepted; a larger one is answered 413 PAYLOAD_TOO_LARGE unread.")
            .define(DECISION_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.MEDIUM,
                    "How long an HTTP call waits for its decision before 504 DECISION_TIMEOUT. Retrying with the"
                            + " same requestId is safe: the engine decides each requestId once.")
            .define(PENDING_MAX, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
                    "Most HTTP calls waiting for a decision at once; past it calls get 503 OVERLOADED, so a slow"
                            + " engine cannot exhaust the gateway's memory.")
            .define(PRODUCER_LINGER_MS, Type.INT, 1, Range.atLeast(0), Importance.LOW,
                    "How long the producer waits to batch requests: each adds to every call's latency.")
            .define(AUTH_KEYS_FILE, Type.STRING, "", Importance.HIGH,
                    "A file of API keys, one per line: '<name> sha256:<hex> <grant> [<grant>...]' (tally keys new"
                            + " prints one). Read again within a second of a change: keys are added, rotated and"
                            + " revoked without a restart. With any key here or in auth.keys, every /v1 route"
                            + " needs one.")
            .define(AUTH_KEYS, Type.STRING, "", Importance.HIGH,
                    "API keys given inline, in the key file's format, separated by ';' (for TALLY_AUTH_KEYS)."
                            + " Only hashes: no secret is ever configured.")
            .define(AUTH_REQUIRED, Type.BOOLEAN, true, Importance.HIGH,
                    "Whether the gateway refuses to start without API keys or JWTs. tally dev sets it to false (open on"
                            + " loopback); false elsewhere serves every caller everything.")
            .define(RATE_LIMIT_PER_KEY, Type.LONG, 1_000L, Range.between(0, 1_000_000), Importance.MEDIUM,
                    "Calls a second each caller (API key, or JWT subject) may make on this gateway instance, with"
                            + " bursts of up to one second's worth; past it 429 RATE_LIMITED with Retry-After. 0: no"
                            + " limit.")
            .define(AUTH_JWT_KEY_FILE, Type.STRING, "", Importance.HIGH,
                    "Set to accept JWTs as bearer credentials: the issuer's verification keys, as a JWK set or one"
                            + " PEM public key (the shared secret itself for HS*). Read again within a second of a"
                            + " change, so keys rotate without a restart. Needs auth.jwt.issuer and"
                            + " auth.jwt.audience.")
            .define(AUTH_JWT_ISSUER, Type.STRING, "", Importance.HIGH,
                    "The iss every accepted JWT must carry, exactly.")
            .define(AUTH_JWT_AUDIENCE, Type.STRING, "", Importance.HIGH,
                    "The aud every accepted JWT must include.")
            .define(AUTH_JWT_ALGORITHM, Type.STRING, "RS256", ConfigDef.ValidString.in(JWT_ALGORITHMS),
                    Importance.MEDIUM,
                    "The one signature algorithm accepted; a token naming any other (none included) is refused.")
            .define(AUTH_JWT_GRANTS_CLAIM, Type.STRING, "scope", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "The claim holding the caller's grants, as in an API key line: a string separated by spaces,"
                            + " or an array. A token without it is refused.")
            .define(AUTH_JWT_CLOCK_SKEW_SECONDS, Type.INT, 30, Range.between(0, 300), Importance.LOW,
                    "How far the gateway's clock and the issuer's may disagree when exp and nbf are checked.");

    public GatewayConfig(Map<String, ?> raw) {
        super(DEFINITION, raw);
    }

    /** Defaults, then an optional properties file, then TALLY_* environment variables, then overrides. */
    public static GatewayConfig resolve(Path file, Map<String, String> env, Map<String, ?> overrides) {
        return new GatewayConfig(ConfigSources.resolve(DEFINITION, file, env, overrides));
    }


    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public int bodyMaxBytes() {
        return getInt(HTTP_BODY_MAX_BYTES);
    }

    public long decisionTimeoutMs() {
        return getLong(DECISION_TIMEOUT_MS);
    }

    public int pendingMax() {
        return getInt(PENDING_MAX);
    }

    public int producerLingerMs() {
        return getInt(PRODUCER_LINGER_MS);
    }

    /**
     * What the gateway checks callers with, or null when it requires nothing (an open gateway, allowed only with
     * {@code auth.required=false}).
     *
     * @throws ConfigException naming the setting whose keys cannot be read, is missing, or is incomplete
     */
    public Authentication authentication() {
        ApiKeys keys = apiKeys();
        Tokens tokens = tokens();
        if (keys == null && tokens == null) {
            if (getBoolean(AUTH_REQUIRED)) {
                throw new ConfigException(AUTH_KEYS_FILE, "", "the gateway requires credentials: set "
                        + AUTH_KEYS_FILE + " or " + AUTH_KEYS + " (tally keys new makes one), or " + AUTH_JWT_KEY_FILE
                        + " for JWTs, or " + AUTH_REQUIRED + "=false to serve every caller without authentication");
            }
            return null;
        }
        return new Authentication(keys, tokens, getLong(RATE_LIMIT_PER_KEY));
    }

    /** The configured API keys, or null when there are none. */
    private ApiKeys apiKeys() {
        String file = getString(AUTH_KEYS_FILE);
        String inline = getString(AUTH_KEYS);
        if (file.isBlank() && inline.isBlank()) {
            return null;
        }
        List<ApiKey> configured;
        try {
            configured = KeyLines.parse(Arrays.asList(inline.split(";")), AUTH_KEYS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(AUTH_KEYS, "(hashes)", e.getMessage());
        }
        try {
            return ApiKeys.of(configured, file.isBlank() ? null : Path.of(file));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(AUTH_KEYS_FILE, file, e.getMessage());
        }
    }

    /** The JWT check, or null when no JWT key file is set (then no other auth.jwt setting may be). */
    private Tokens tokens() {
        String file = getString(AUTH_JWT_KEY_FILE);
        String issuer = getString(AUTH_JWT_ISSUER);
        String audience = getString(AUTH_JWT_AUDIENCE);
        if (file.isBlank()) {
            if (!issuer.isBlank() || !audience.isBlank()) {
                throw new ConfigException(AUTH_JWT_KEY_FILE, file, "JWTs need the issuer's keys when "
                        + AUTH_JWT_ISSUER + " or " + AUTH_JWT_AUDIENCE + " is set");
            }
            return null;
        }
        if (issuer.isBlank()) {
            throw new ConfigException(AUTH_JWT_ISSUER, issuer, "JWTs are accepted only from a named issuer");
        }
        if (audience.isBlank()) {
            throw new ConfigException(AUTH_JWT_AUDIENCE, audience, "JWTs are accepted only for a named audience");
        }
        TokenSettings settings = new TokenSettings(issuer, audience, JWSAlgorithm.parse(getString(AUTH_JWT_ALGORITHM)),
                Path.of(file), getString(AUTH_JWT_GRANTS_CLAIM),
                Duration.ofSeconds(getInt(AUTH_JWT_CLOCK_SKEW_SECONDS)));
        try {
            return Tokens.of(settings);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(AUTH_JWT_KEY_FILE, file, e.getMessage());
        }
    }

    /** The consumer group every gateway instance reads the replies topic in. */
    public String replyGroup() {
        return topicNames().prefix() + "gateway";
    }

    public int partitions() {
        return getInt(CommonSettings.PARTITIONS);
    }

    public int repliesPartitions() {
        return getInt(CommonSettings.REPLIES_PARTITIONS);
    }

    public short replicationFactor() {
        return getShort(CommonSettings.REPLICATION_FACTOR);
    }
}
