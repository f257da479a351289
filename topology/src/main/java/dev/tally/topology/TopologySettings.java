package dev.tally.topology;

import dev.tally.contract.TopicNames;
import dev.tally.schemas.claims.ClaimScopes;
import dev.tally.topology.engine.EngineMeters;

/**
 * What the topology needs to know, and nothing about how to reach Kafka: tests build it directly.
 *
 * @param requestPartitions the partition count the request topics really have; the partition guard
 *                          checks every record against it
 * @param claimScopes       the configured claim scopes and how each normalises its values
 * @param compositeTimeoutMs how long a composite waits for its segments' answers before releasing them
 * @param meters            what counts the decisions and dead letters
 */
public record TopologySettings(TopicNames topics, int requestPartitions, long idempotencyRetentionMs,
                               ClaimScopes claimScopes, long compositeTimeoutMs, EngineMeters meters) {

    /** Unmeasured: what tests and the test driver use. */
    public TopologySettings(TopicNames topics, int requestPartitions, long idempotencyRetentionMs,
                            ClaimScopes claimScopes, long compositeTimeoutMs) {
        this(topics, requestPartitions, idempotencyRetentionMs, claimScopes, compositeTimeoutMs, EngineMeters.NONE);
    }

    public static TopologySettings of(EngineConfig config, int requestPartitions, EngineMeters meters) {
        return new TopologySettings(config.topicNames(), requestPartitions,
                config.getLong(EngineConfig.IDEMPOTENCY_RETENTION_MS), config.claimScopes(),
                config.getLong(EngineConfig.COMPOSITE_TIMEOUT_MS), meters);
    }
}
