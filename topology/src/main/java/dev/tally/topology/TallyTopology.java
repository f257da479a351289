package dev.tally.topology;

import dev.tally.topology.bookings.BookingRequestProcessor;
import dev.tally.topology.bookings.BookingSerdes;
import dev.tally.topology.claims.ClaimRequestProcessor;
import dev.tally.topology.composites.CompositeRequestProcessor;
import dev.tally.topology.claims.ClaimStateSerde;
import dev.tally.topology.engine.RememberedSerde;
import dev.tally.topology.engine.Reply;
import dev.tally.topology.usage.AccountSerde;
import dev.tally.topology.usage.UsageRequestProcessor;
import dev.tally.topology.usage.ReservationSerde;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the engine's topology from its settings; a pure function that tests call directly.
 *
 * <pre>
 *  usage.requests ──▶ usage-decider ──▶ usage.decisions   (one per request id, keyed by workspace)
 *        ▲              │  │  │  └────▶ replies           (to the waiting gateway's partition)
 *        └── re-route ──┘  │  └───────▶ dead-letter       (unreadable records, with the reason)
 *                          ├─────────▶ usage.alerts      (80/90/100 % of a limit, once per period)
 *                          └─ stores: usage-accounts, usage-request-ids, usage-entitlements,
 *                                     usage-reservations, usage-reservation-due
 *
 *  claims.requests ─▶ claim-decider ─▶ claims.decisions  (one per request id, plus hold expiries;
 *        ▲              │  │  │                          keyed by scope/value)
 *        └── re-route ──┘  │  └──────▶ replies, dead-letter (shared with usage)
 *                          └─ stores: claims, claim-holds, claim-request-ids
 *
 *  bookings.requests ─▶ booking-decider ─▶ bookings.decisions (one per request id, keyed by resource)
 *                          └─ stores: resources, bookings, booking-external-ids, slot-usage,
 *                             booking-request-ids; re-route, replies and dead letters as above
 * </pre>
 *
 * <p>The deciders share no store, so they are separate sub-topologies with tasks of their own: a
 * backlog of usage never delays a claim.
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
        topology.addStateStore(store(Names.USAGE_ACCOUNTS_STORE, AccountSerde.serde()), Names.USAGE_DECIDER);
        topology.addStateStore(store(Names.USAGE_REQUEST_IDS_STORE, RememberedSerde.serde()), Names.USAGE_DECIDER);
        topology.addStateStore(store(Names.USAGE_ENTITLEMENTS_STORE, Serdes.ByteArray()), Names.USAGE_DECIDER);
        topology.addStateStore(store(Names.USAGE_RESERVATIONS_STORE, ReservationSerde.serde()),
                Names.USAGE_DECIDER);
        topology.addStateStore(store(Names.USAGE_RESERVATION_DUE_STORE, Serdes.ByteArray()), Names.USAGE_DECIDER);

        topology.addSource(Names.CLAIM_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                settings.topics().claimRequests());
        topology.addProcessor(Names.CLAIM_DECIDER, () -> new ClaimRequestProcessor(settings), Names.CLAIM_SOURCE);
        topology.addStateStore(store(Names.CLAIMS_STORE, ClaimStateSerde.serde()), Names.CLAIM_DECIDER);
        topology.addStateStore(store(Names.CLAIM_HOLDS_STORE, Serdes.ByteArray()), Names.CLAIM_DECIDER);
        topology.addStateStore(store(Names.CLAIM_REQUEST_IDS_STORE, RememberedSerde.serde()), Names.CLAIM_DECIDER);

        topology.addSource(Names.BOOKING_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                settings.topics().bookingRequests(), settings.topics().segmentCommands());
        topology.addProcessor(Names.BOOKING_DECIDER, () -> new BookingRequestProcessor(settings),
                Names.BOOKING_SOURCE);
        topology.addStateStore(store(Names.RESOURCES_STORE, BookingSerdes.resources()), Names.BOOKING_DECIDER);
        topology.addStateStore(store(Names.BOOKINGS_STORE, BookingSerdes.bookings()), Names.BOOKING_DECIDER);
        topology.addStateStore(store(Names.BOOKING_EXTERNAL_IDS_STORE, Serdes.String()), Names.BOOKING_DECIDER);
        topology.addStateStore(store(Names.SLOT_USAGE_STORE, Serdes.Long()), Names.BOOKING_DECIDER);
        topology.addStateStore(store(Names.BOOKING_REQUEST_IDS_STORE, RememberedSerde.serde()), Names.BOOKING_DECIDER);

        topology.addSource(Names.COMPOSITE_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                settings.topics().compositeRequests(), settings.topics().segmentResults());
        topology.addProcessor(Names.COMPOSITE_DECIDER, () -> new CompositeRequestProcessor(settings),
                Names.COMPOSITE_SOURCE);
        topology.addStateStore(store(Names.COMPOSITES_STORE, Serdes.ByteArray()), Names.COMPOSITE_DECIDER);
        topology.addStateStore(store(Names.COMPOSITE_DEADLINES_STORE, Serdes.ByteArray()), Names.COMPOSITE_DECIDER);

        topology.addSink(Names.USAGE_DECISIONS_SINK, settings.topics().usageDecisions(),
                new StringSerializer(), bytes, Names.USAGE_DECIDER);
        topology.addSink(Names.USAGE_REROUTE_SINK, settings.topics().usageRequests(),
                new StringSerializer(), bytes, Names.USAGE_DECIDER);
        topology.addSink(Names.USAGE_ALERTS_SINK, settings.topics().usageAlerts(),
                new StringSerializer(), bytes, Names.USAGE_DECIDER);
        topology.addSink(Names.CLAIM_DECISIONS_SINK, settings.topics().claimDecisions(),
                new StringSerializer(), bytes, Names.CLAIM_DECIDER);
        topology.addSink(Names.CLAIM_REROUTE_SINK, settings.topics().claimRequests(),
                new StringSerializer(), bytes, Names.CLAIM_DECIDER);
        topology.addSink(Names.BOOKING_DECISIONS_SINK, settings.topics().bookingDecisions(),
                new StringSerializer(), bytes, Names.BOOKING_DECIDER);
        topology.addSink(Names.BOOKING_REROUTE_SINK, settings.topics().bookingRequests(),
                new StringSerializer(), bytes, Names.BOOKING_DECIDER);
        topology.addSink(Names.SEGMENT_RESULTS_SINK, settings.topics().segmentResults(),
                new StringSerializer(), bytes, Names.BOOKING_DECIDER);
        topology.addSink(Names.COMPOSITE_DECISIONS_SINK, settings.topics().compositeDecisions(),
                new StringSerializer(), bytes, Names.COMPOSITE_DECIDER);
        topology.addSink(Names.COMPOSITE_REROUTE_SINK, settings.topics().compositeRequests(),
                new StringSerializer(), bytes, Names.COMPOSITE_DECIDER);
        topology.addSink(Names.COMPOSITE_COMMANDS_SINK, settings.topics().segmentCommands(),
                new StringSerializer(), bytes, Names.COMPOSITE_DECIDER);
        topology.addSink(Names.REPLIES_SINK, settings.topics().replies(),
                new StringSerializer(), replyBody, replyPartition, Names.USAGE_DECIDER, Names.CLAIM_DECIDER,
                Names.BOOKING_DECIDER, Names.COMPOSITE_DECIDER);
        topology.addSink(Names.DEAD_LETTER_SINK, settings.topics().deadLetter(),
                new StringSerializer(), bytes, Names.USAGE_DECIDER, Names.CLAIM_DECIDER, Names.BOOKING_DECIDER,
                Names.COMPOSITE_DECIDER);
        return topology;
    }

    /** A persistent, cached, changelogged store with String keys. */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withCachingEnabled();
    }
}
