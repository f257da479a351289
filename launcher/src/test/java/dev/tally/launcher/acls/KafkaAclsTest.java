package dev.tally.launcher.acls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.contract.TopicNames;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAclsTest {

    private static final TopicNames TOPICS = new TopicNames("billing.");

    private static Set<AclOperation> on(List<AclBinding> bindings, ResourceType type, String name) {
        return Set.copyOf(bindings.stream().filter(b -> b.pattern().resourceType() == type
                && b.pattern().name().equals(name)).map(b -> b.entry().operation()).toList());
    }

    @Test
    void theEngineIsNamedByItsApplicationIdAndReadsOnlyWhatItConsumes() {
        List<AclBinding> engine = KafkaAcls.bindings(KafkaAcls.engine(TOPICS, "billing-engine",
                KafkaAcls.principal("User:engine")));

        assertThat(on(engine, ResourceType.TOPIC, "billing.usage.requests"))
                .containsExactlyInAnyOrder(AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE);
        assertThat(on(engine, ResourceType.TOPIC, "billing.usage.decisions"))
                .containsExactlyInAnyOrder(AclOperation.DESCRIBE, AclOperation.WRITE);
        assertThat(on(engine, ResourceType.GROUP, "billing-engine")).containsExactly(AclOperation.READ);
        assertThat(on(engine, ResourceType.TRANSACTIONAL_ID, "billing-engine-"))
                .containsExactlyInAnyOrder(AclOperation.DESCRIBE, AclOperation.WRITE);
        // Prefixes only where Kafka Streams names resources itself, and never CREATE on tally's own topics
        assertThat(engine).filteredOn(b -> b.pattern().patternType() == PatternType.PREFIXED).isNotEmpty()
                .allSatisfy(b -> assertThat(b.pattern().name()).isEqualTo("billing-engine-"));
        assertThat(engine).filteredOn(b -> b.entry().operation() == AclOperation.CREATE).isNotEmpty()
                .allSatisfy(b -> assertThat(b.pattern().name()).isEqualTo("billing-engine-"));
        assertThat(engine).allSatisfy(b -> assertThat(b.entry().principal()).isEqualTo("User:engine"));
    }

    @Test
    void theGatewayWritesRequestsAndReadsRepliesInItsGroupOnly() {
        List<AclBinding> gateway = KafkaAcls.bindings(KafkaAcls.gateway(TOPICS, "billing.gateway",
                KafkaAcls.principal("User:gateway")));

        for (String topic : TOPICS.all()) {
            Set<AclOperation> expected = topic.endsWith(".requests")
                    ? Set.of(AclOperation.DESCRIBE, AclOperation.WRITE)
                    : topic.equals(TOPICS.replies()) ? Set.of(AclOperation.DESCRIBE, AclOperation.READ)
                    : Set.of(AclOperation.DESCRIBE);
            assertThat(on(gateway, ResourceType.TOPIC, topic)).as(topic).isEqualTo(expected);
        }
        assertThat(on(gateway, ResourceType.GROUP, "billing.gateway")).containsExactly(AclOperation.READ);
        assertThat(gateway).noneMatch(b -> b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID);
    }

    @Test
    void aPrincipalIsTypeColonName() {
        assertThat(KafkaAcls.principal("User:tally-engine").getName()).isEqualTo("tally-engine");
        assertThatThrownBy(() -> KafkaAcls.principal("tally-engine")).isInstanceOf(IllegalArgumentException.class);
    }
}
