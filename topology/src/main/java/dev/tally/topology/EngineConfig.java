package dev.tally.topology;

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
 * The engine's settings, each declared once with its default and doc. Processing is always
 * {@code exactly_once_v2}: it is the product's guarantee, not a setting.
 */
public final class EngineConfig extends TallyConfig {

    public static final String APPLICATION_ID = "engine.application.id";
    public static final String STATE_DIR = "engine.state.dir";
    public static final String COMMIT_INTERVAL_MS = "engine.commit.interval.ms";
    public static final String POLL_MS = "engine.poll.ms";
    public static final String STREAM_THREADS = "engine.stream.threads";
    public static final String STANDBY_REPLICAS = "engine.standby.replicas";
    public static final String IDEMPOTENCY_RETENTION_MS = "engine.idempotency.retention.ms";
    public static final String STORE_CACHE_BYTES = "engine.store.cache.bytes";
    public static final String COMPOSITE_TIMEOUT_MS = "engine.composite.timeout.ms";
    public static final String HTTP_HOST = "engine.http.host";
    public static final String HTTP_PORT = "engine.http.port";

    public static final ConfigDef DEFINITION = CommonSettings.define()
            .define(APPLICATION_ID, Type.STRING, "tally-engine", Importance.HIGH,
                    "Kafka Streams application id: the consumer group, the transactional ids and the prefix of"
                            + " the changelog topics. Changing it starts from empty state.")
            .define(STATE_DIR, Type.STRING, ".tally/engine-state", Importance.HIGH,
                    "Where RocksDB keeps the state stores. Keep it out of the OS temp folder.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(1), Importance.MEDIUM,
                    "The longest a transaction stays open. Decisions become visible to read_committed readers at"
                            + " commit. A request a gateway waits for asks for an earlier commit (paced by the"
                            + " thread's own commits), so this interval paces requests nobody waits for.")
            .define(COMPOSITE_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(100), Importance.LOW,
                    "How long a composite booking waits for all its segments' answers (engine clock) before it"
                            + " releases every segment and answers COMPOSITE_TIMED_OUT.")
            .define(POLL_MS, Type.LONG, 5L, Range.atLeast(0), Importance.LOW,
                    "How long the stream thread blocks for new records before it commits what it has.")
            .define(STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.LOW,
                    "Stream threads of this instance.")
            .define(STANDBY_REPLICAS, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
                    "Warm copies of each store on other instances, for fast fail-over.")
            .define(IDEMPOTENCY_RETENTION_MS, Type.LONG, 7L * 24 * 60 * 60 * 1000, Range.atLeast(60_000),
                    Importance.MEDIUM,
                    "How long a request id is remembered (by record time): a retry within it gets the first"
                            + " decision; after it the id is forgotten.")
            .define(STORE_CACHE_BYTES, Type.LONG, 16L * 1024 * 1024, Range.atLeast(0), Importance.LOW,
                    "Record cache over the stores: coalesces writes of hot keys before the changelog.")
            .define(HTTP_HOST, Type.STRING, "127.0.0.1", Importance.MEDIUM,
                    "Interface tally engine serves /health/live, /health/ready, /tasks and /metrics on; 0.0.0.0 for a"
                            + " scraper on another host.")
            .define(HTTP_PORT, Type.INT, 8081, Range.between(-1, 65_535), Importance.MEDIUM,
                    "Port of tally engine's health and metrics; 0 picks a free one, -1 serves none.");

    public EngineConfig(Map<String, ?> raw) {
        super(DEFINITION, raw);
    }

    /** Defaults, then an optional file, then TALLY_* environment variables, then overrides. */
    public static EngineConfig resolve(Path file, Map<String, String> env, Map<String, ?> overrides) {
        return new EngineConfig(ConfigSources.resolve(DEFINITION, file, env, overrides));
    }

}
