package dev.tally.topology;

import dev.tally.topology.engine.RememberedSerde;
import dev.tally.topology.engine.Reply;
import dev.tally.topology.usage.AccountSerde;
import dev.tally.topology.usage.UsageRequestProcessor;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the engine's topology from its settings; a pure function that tests call directly.
 *
 * <pre>
 *  usage.requests ──▶ usage-decider ──▶ usage.decisions   (one per request id, keyed by workspace)
 *        ▲              │  │  │  └────▶ replies           (to the waiting gateway's partition)
 *        └── re-route ──┘  │  └───────▶ dead-letter       (unreadable records, with the reason)
 *                          └─ stores: usage-accounts, usage-request-ids
 * </pre>
 */
public final class TallyTopology {

    private TallyTopology() {
    }

    public static Topology build(TopologySettings settings) {
        Topology topology = new Topology();
        Serializer<Object> bytes = (topic, value) -> (byte[]) value;
        Serializer<Object> replyBody = (topic, value) -> ((Reply) value).body();
        StreamPartitioner<String, Object> replyPartition =
                (topic, key, value, partitions) -> Optional.of(Set.of(((Reply) value).partition() % partitions));

        topology.addSource(Names.USAGE_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                settings.topics().usageRequests());
        topology.addProcessor(Names.USAGE_DECIDER, () -> new UsageRequestProcessor(settings), Names.USAGE_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(Names.USAGE_ACCOUNTS_STORE),
                        Serdes.String(), AccountSerde.serde()).withCachingEnabled(),
                Names.USAGE_DECIDER);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(Names.USAGE_REQUEST_IDS_STORE),
                        Serdes.String(), RememberedSerde.serde()).withCachingEnabled(),
                Names.USAGE_DECIDER);

        topology.addSink(Names.USAGE_DECISIONS_SINK, settings.topics().usageDecisions(),
                new StringSerializer(), bytes, Names.USAGE_DECIDER);
        topology.addSink(Names.USAGE_REROUTE_SINK, settings.topics().usageRequests(),
                new StringSerializer(), bytes, Names.USAGE_DECIDER);
        topology.addSink(Names.REPLIES_SINK, settings.topics().replies(),
                new StringSerializer(), replyBody, replyPartition, Names.USAGE_DECIDER);
        topology.addSink(Names.DEAD_LETTER_SINK, settings.topics().deadLetter(),
                new StringSerializer(), bytes, Names.USAGE_DECIDER);
        return topology;
    }
}
