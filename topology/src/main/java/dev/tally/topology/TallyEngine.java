package dev.tally.topology;

import dev.tally.contract.CommonSettings;
import dev.tally.contract.TopicNames;
import dev.tally.contract.TopicProvisioner;
import dev.tally.topology.engine.EngineMeters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as a running process: creates missing topics, builds the topology and runs it with
 * exactly-once processing. {@link #start} returns at once; {@link #isRunning} tells when it decides.
 */
public final class TallyEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TallyEngine.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;

    private TallyEngine(KafkaStreams streams) {
        this.streams = streams;
    }

    public static TallyEngine start(EngineConfig config) {
        return start(config, EngineMeters.NONE);
    }

    /** @param meters what counts the decisions and dead letters, on the stream threads */
    public static TallyEngine start(EngineConfig config, EngineMeters meters) {
        // Once at start, resolved; Kafka's Password type prints as [hidden].
        // Pass-through client settings may hold credentials: their names only.
        log.info("engine configuration: {}, kafka client settings: {}", new java.util.TreeMap<>(config.values()),
                new java.util.TreeSet<>(config.kafkaClientSettings().keySet()));
        TopicNames topics = config.topicNames();
        int partitions = TopicProvisioner.ensure(config.adminClientSettings(), topics.keyedTopics(), config.getInt(CommonSettings.PARTITIONS),
                List.of(topics.replies(), topics.deadLetter()), config.getInt(CommonSettings.REPLIES_PARTITIONS),
                config.getShort(CommonSettings.REPLICATION_FACTOR));

        KafkaStreams streams = new KafkaStreams(TallyTopology.build(TopologySettings.of(config, partitions, meters)),
                streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            // A processing error is a broken invariant or a bug: replace the thread so that the task is
            // retried from its last commit rather than the whole engine going down.
            log.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        // One line per change: an operator (and a test) sees when the instance decides again after a rebalance.
        streams.setStateListener((now, before) -> log.info("engine state {} -> {}", before, now));
        streams.start();
        return new TallyEngine(streams);
    }

    static Properties streamsProperties(EngineConfig config) {
        Properties props = new Properties();
        // Tuned defaults first: kafka.* settings from the configuration may replace them.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        // A commit that starts while the previous transaction's markers are still being written is told
        // CONCURRENT_TRANSACTIONS and retried after this backoff; at the default 100 ms, one commit in
        // ten took over 100 ms and a stream of gateway calls ran at the commits' pace (bench: 118 ms p90
        // per transaction with offsets at 100 ms, 26 ms at 10 ms).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        // Fail-over after a hard kill waits for two clocks (README, Reliability). The dead instance keeps its
        // partitions until its session times out (45 s by default; 6 s is the broker's least by default);
        // heartbeats run on the consumer's own thread, so a long batch in the stream thread does not count.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        // And the transaction it left open hides every later decision in its partitions from read_committed
        // readers until the broker aborts it, this long after it began (Streams' default is 10 s). A
        // transaction lasts one commit interval plus the commit: 5 s, or ten commit intervals if longer.
        // One that takes longer (a broker down that long) is aborted and its tasks restart from their last
        // commit, which exactly-once makes safe; BrokerRestartIT keeps the broker down 5 s.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                transactionTimeoutMs(config.getLong(EngineConfig.COMMIT_INTERVAL_MS)));
        props.putAll(config.kafkaClientSettings());
        // What tally's guarantees rest on comes last, so no passthrough setting can weaken it.
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(EngineConfig.APPLICATION_ID));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(EngineConfig.STATE_DIR));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(EngineConfig.COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.POLL_MS_CONFIG, config.getLong(EngineConfig.POLL_MS));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(EngineConfig.STREAM_THREADS));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.getInt(EngineConfig.STANDBY_REPLICAS));
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.getLong(EngineConfig.STORE_CACHE_BYTES));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.getShort(CommonSettings.REPLICATION_FACTOR));
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return props;
    }

    static int transactionTimeoutMs(long commitIntervalMs) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(5_000L, 10 * commitIntervalMs));
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The Kafka Streams client, for its metrics (Micrometer's binder reads them). */
    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Commits what was decided and leaves the consumer group, so that the next instance (or this one,
     * started again) gets the partitions at once instead of after the session timeout (6 s by default).
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    }
}
