package dev.tally.topology;

import dev.tally.contract.TopicNames;
import dev.tally.schemas.claims.ClaimScopes;

/**
 * What the topology needs to know, and nothing about how to reach Kafka: tests build it directly.
 *
 * @param requestPartitions the partition count the request topics really have; the partition guard
 *                          checks every record against it
 * @param claimScopes       the configured claim scopes and how each normalises its values
 * @param compositeTimeoutMs how long a composite waits for its segments' answers before releasing them
 */
public record TopologySettings(TopicNames topics, int requestPartitions, long idempotencyRetentionMs,
                               ClaimScopes claimScopes, long compositeTimeoutMs) {

    public static TopologySettings of(EngineConfig config, int requestPartitions) {
        return new TopologySettings(config.topicNames(), requestPartitions,
                config.getLong(EngineConfig.IDEMPOTENCY_RETENTION_MS), config.claimScopes(),
                config.getLong(EngineConfig.COMPOSITE_TIMEOUT_MS));
    }
}
