package dev.tally.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics that are missing, and refuses to start when an existing keyed topic has another
 * partition count than the rest: requests and decisions of one key must meet in one partition number.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_MS = 30_000;

    private TopicProvisioner() {
    }

    /**
     * @param keyed topics partitioned by entity key, created with {@code keyedPartitions}
     * @param other topics created with {@code otherPartitions}
     * @return the partition count the keyed topics really have (an existing topic keeps its count)
     */
    public static int ensure(Map<String, Object> adminConfig, Collection<String> keyed, int keyedPartitions,
                              Collection<String> other, int otherPartitions, short replication) {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : keyed) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, keyedPartitions, replication));
                }
            }
            for (String topic : other) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, otherPartitions, replication));
                }
            }
            create(admin, missing);
            return requireSamePartitionCount(admin, keyed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka to create topics: " + e.getMessage(), e);
        }
    }

    private static void create(Admin admin, List<NewTopic> missing)
            throws InterruptedException, TimeoutException, ExecutionException {
        if (missing.isEmpty()) {
            return;
        }
        for (var entry : admin.createTopics(missing).values().entrySet()) {
            try {
                entry.getValue().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                log.info("created topic {}", entry.getKey());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    throw new IllegalStateException("topic " + entry.getKey() + " does not exist (or this principal"
                            + " may not describe it) and this principal may not create it: create tally's topics"
                            + " as an admin first, and grant the ACLs tally acls prints", e.getCause());
                }
                // Another instance starting at the same time created it first: that is fine.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private static int requireSamePartitionCount(Admin admin, Collection<String> keyed)
            throws InterruptedException, TimeoutException, ExecutionException {
        Map<String, TopicDescription> described = describe(admin, keyed);
        long counts = described.values().stream().mapToInt(d -> d.partitions().size()).distinct().count();
        if (counts > 1) {
            StringBuilder detail = new StringBuilder();
            described.forEach((name, d) -> detail.append(' ').append(name).append('=').append(d.partitions().size()));
            throw new IllegalStateException("keyed topics must have one partition count, found:" + detail);
        }
        return described.values().iterator().next().partitions().size();
    }

    /**
     * Describes topics, waiting out the moment after their creation when a broker may not know them yet
     * (it answers UNKNOWN_TOPIC_OR_PARTITION until the new metadata reaches it).
     */
    private static Map<String, TopicDescription> describe(Admin admin, Collection<String> topics)
            throws InterruptedException, TimeoutException, ExecutionException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            try {
                return admin.describeTopics(topics).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadlineNs) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }
}
