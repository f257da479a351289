package dev.tally.launcher.acls;

import dev.tally.contract.TopicNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * The Kafka ACLs each deployable (and the audit) needs on a cluster with an authorizer, and no more: which
 * topics it describes, reads and writes, its consumer group, and for the engine the internal topics and
 * transactional ids Kafka Streams names after the application id. Topics are named one by one; only what Kafka Streams
 * names itself is granted by prefix. None grants CREATE on tally's own topics: an operator creates them
 * before the first start (the engine and the gateway then only check them).
 */
public final class KafkaAcls {

    /** One resource, and what one deployable's principal may do with it. */
    public record Grant(String part, KafkaPrincipal principal, ResourcePattern resource, Set<AclOperation> operations) {

        public List<AclBinding> bindings() {
            return operations.stream().map(operation -> new AclBinding(resource, new AccessControlEntry(
                    principal.toString(), "*", operation, AclPermissionType.ALLOW))).toList();
        }

        /** {@code engine  User:tally-engine  TOPIC tally.usage.requests (LITERAL): DESCRIBE, READ, WRITE}. */
        public String line() {
            return String.format("%-8s %-22s %s %s (%s): %s", part, principal, resource.resourceType(),
                    resource.name(), resource.patternType(), String.join(", ",
                            operations.stream().map(Enum::name).sorted().toList()));
        }
    }

    private KafkaAcls() {
    }

    /** @throws IllegalArgumentException when a principal is not {@code <type>:<name>} */
    public static KafkaPrincipal principal(String text) {
        return SecurityUtils.parseKafkaPrincipal(text);
    }

    /**
     * The engine reads the request topics and the composite coordination topics, writes every tally topic
     * (decisions, alerts, replies, dead letters, and requests it routes back to their own key), and as a Kafka
     * Streams application owns its consumer group, its transactional ids and its changelog topics.
     */
    public static List<Grant> engine(TopicNames topics, String applicationId, KafkaPrincipal principal) {
        Set<String> reads = Set.of(topics.usageRequests(), topics.claimRequests(), topics.bookingRequests(),
                topics.compositeRequests(), topics.segmentCommands(), topics.segmentResults());
        Map<ResourcePattern, Set<AclOperation>> grants = new LinkedHashMap<>();
        for (String topic : topics.all()) {
            Set<AclOperation> operations = operations(AclOperation.DESCRIBE, AclOperation.WRITE);
            if (reads.contains(topic)) {
                operations.add(AclOperation.READ);
            }
            grants.put(topic(topic), operations);
        }
        // "<id>-", not "<id>": a bare prefix would also cover "<id>2-..." or, with topic.prefix "<id>.", every tally
        // topic. Kafka Streams names every internal topic and transactional id "<application.id>-...".
        String streamsPrefix = applicationId + "-";
        grants.put(new ResourcePattern(ResourceType.TOPIC, streamsPrefix, PatternType.PREFIXED),
                operations(AclOperation.CREATE, AclOperation.DESCRIBE,
                        AclOperation.READ, AclOperation.WRITE));
        grants.put(new ResourcePattern(ResourceType.GROUP, applicationId, PatternType.LITERAL),
                operations(AclOperation.READ));
        grants.put(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, streamsPrefix, PatternType.PREFIXED),
                operations(AclOperation.DESCRIBE, AclOperation.WRITE));
        return grants("engine", principal, grants);
    }

    /**
     * The gateway checks every tally topic (partition counts), writes the four request topics, and reads the
     * replies topic in its own consumer group.
     */
    public static List<Grant> gateway(TopicNames topics, String replyGroup, KafkaPrincipal principal) {
        Set<String> writes = Set.of(topics.usageRequests(), topics.claimRequests(), topics.bookingRequests(),
                topics.compositeRequests());
        Map<ResourcePattern, Set<AclOperation>> grants = new LinkedHashMap<>();
        for (String topic : topics.all()) {
            Set<AclOperation> operations = operations(AclOperation.DESCRIBE);
            if (writes.contains(topic)) {
                operations.add(AclOperation.WRITE);
            }
            if (topic.equals(topics.replies())) {
                operations.add(AclOperation.READ);
            }
            grants.put(topic(topic), operations);
        }
        grants.put(new ResourcePattern(ResourceType.GROUP, replyGroup, PatternType.LITERAL),
                operations(AclOperation.READ));
        return grants("gateway", principal, grants);
    }

    /**
     * {@code tally audit} reads every tally topic from its start, in no consumer group: to read and describe
     * them is all it needs.
     */
    public static List<Grant> audit(TopicNames topics, KafkaPrincipal principal) {
        Map<ResourcePattern, Set<AclOperation>> grants = new LinkedHashMap<>();
        for (String topic : topics.all()) {
            grants.put(topic(topic), operations(AclOperation.DESCRIBE, AclOperation.READ));
        }
        return grants("audit", principal, grants);
    }

    /** Every binding of these grants, for {@code Admin.createAcls}. */
    public static List<AclBinding> bindings(List<Grant> grants) {
        return grants.stream().flatMap(grant -> grant.bindings().stream()).toList();
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static Set<AclOperation> operations(AclOperation... operations) {
        return new TreeSet<>(List.of(operations));
    }

    private static List<Grant> grants(String part, KafkaPrincipal principal,
                                      Map<ResourcePattern, Set<AclOperation>> grants) {
        List<Grant> list = new ArrayList<>();
        grants.forEach((resource, operations) -> list.add(new Grant(part, principal, resource, Set.copyOf(operations))));
        return list;
    }
}
