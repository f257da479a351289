package dev.tally.contract;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The settings every deployable shares, declared once: where Kafka is and how topics are named. */
public final class CommonSettings {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String PARTITIONS = "topic.partitions";
    public static final String REPLIES_PARTITIONS = "topic.replies.partitions";
    public static final String REPLICATION_FACTOR = "topic.replication.factor";

    private CommonSettings() {
    }

    /** A definition holding the shared keys, to which a deployable adds its own. */
    public static ConfigDef define() {
        return new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.LIST, "localhost:9092", Importance.HIGH,
                        "Kafka bootstrap servers, comma separated.")
                .define(TOPIC_PREFIX, Type.STRING, TopicNames.DEFAULT_PREFIX, Importance.MEDIUM,
                        "Prefix of every topic name. The engine's application id (engine.application.id) is set apart.")
                .define(PARTITIONS, Type.INT, 6, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        "Partitions of request and decision topics created at start. Existing topics are kept;"
                                + " all keyed topics must have the same count.")
                .define(REPLIES_PARTITIONS, Type.INT, 6, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Partitions of the replies and dead-letter topics created at start. Needs at least one"
                                + " per gateway instance.")
                .define(REPLICATION_FACTOR, Type.SHORT, (short) 1, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        "Replication factor of topics created at start (3 in production).");
    }
}
