package dev.tally.gateway;

import dev.tally.contract.CommonSettings;
import dev.tally.contract.ConfigSources;
import dev.tally.contract.TallyConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

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
                    "How long the producer waits to batch requests: each adds to every call's latency.");

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
