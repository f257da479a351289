package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.CommonSettings;
import dev.tally.contract.TopicNames;
import dev.tally.gateway.GatewayConfig;
import dev.tally.gateway.GatewayServer;
import dev.tally.launcher.testing.Await;
import dev.tally.launcher.testing.KafkaExtension;
import dev.tally.launcher.testing.TallyHttp;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestKafka;
import dev.tally.launcher.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway's readiness follows its reply consumer's assignment on a real broker: with one reply partition
 * and two gateways, the group gives the partition to one of them; the other serves HTTP but is not ready
 * and refuses calls 503 {@code NOT_READY} without sending them, until the first stops and the partition
 * moves to it. (Starting alone, the first assignment comes too fast to catch in between.)
 */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GatewayReadinessIT {

    private static final Duration SETTLED = Duration.ofSeconds(60);

    @Test
    void onlyTheGatewayThatReadsTheReplyPartitionIsReadyAndTheOtherTakesOverWhenItStops(TestKafka kafka)
            throws Exception {
        // Given two gateways in one reply group over a replies topic of one partition, and no engine
        String prefix = TestNames.prefix("readiness");
        TopicNames topics = new TopicNames(prefix);
        GatewayConfig config = config(kafka, prefix);
        List<GatewayServer> running = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
            GatewayServer first = start(config, running);
            GatewayServer second = start(config, running);

            // When the group has settled with both as members
            Await.until(SETTLED, () -> settled(admin, config.replyGroup(), 2) && first.isReady() != second.isReady(),
                    () -> "both gateways in a stable group, one of them ready: " + describe(admin, config));
            GatewayServer holder = first.isReady() ? first : second;
            GatewayServer other = holder == first ? second : first;

            // Then the one reading the partition is ready, the other says why it is not
            assertThat(http(holder).get("/health/ready").status()).isEqualTo(200);
            Response notReady = http(other).get("/health/ready");
            assertThat(notReady.status()).as(notReady.raw()).isEqualTo(503);
            assertThat(notReady.text("code")).isEqualTo("NOT_READY");
            assertThat(notReady.header("Retry-After")).isEqualTo("2");
            // ... and refuses a call it could not hear the answer to, sending nothing
            Response refused = http(other).post("/v1/workspaces/acme/usage",
                    "{\"feature\":\"ai.tokens\",\"amount\":1,\"requestId\":\"r-1\"}");
            assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
            assertThat(refused.text("code")).isEqualTo("NOT_READY");
            assertThat(recordsIn(admin, topics.usageRequests())).isZero();

            // When the ready one stops, the group moves the partition to the other, which turns ready
            running.remove(holder);
            holder.close();
            Await.until(SETTLED, () -> other.isReady() && settled(admin, config.replyGroup(), 1),
                    () -> "the remaining gateway ready: " + describe(admin, config));
            assertThat(http(other).get("/health/ready").status()).isEqualTo(200);
        } finally {
            running.forEach(GatewayServer::close);
        }
    }

    private static GatewayServer start(GatewayConfig config, List<GatewayServer> running) {
        GatewayServer gateway = GatewayServer.start(config);
        running.add(gateway);
        return gateway;
    }

    private static GatewayConfig config(TestKafka kafka, String prefix) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonSettings.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(CommonSettings.TOPIC_PREFIX, prefix);
        settings.put(CommonSettings.REPLIES_PARTITIONS, 1);
        settings.put(GatewayConfig.HTTP_PORT, 0);
        settings.put(GatewayConfig.AUTH_REQUIRED, false);
        return GatewayConfig.resolve(null, Map.of(), settings);
    }

    private static TallyHttp http(GatewayServer gateway) {
        return new TallyHttp("http://127.0.0.1:" + gateway.port());
    }

    /** Stable with {@code members} members, each holding what the group means it to hold. */
    private static boolean settled(Admin admin, String group, int members) {
        ConsumerGroupDescription description = description(admin, group);
        return description != null && description.groupState() == GroupState.STABLE
                && description.members().size() == members
                && description.members().stream().allMatch(member -> member.targetAssignment()
                .map(target -> target.topicPartitions().equals(member.assignment().topicPartitions()))
                .orElse(false));
    }

    /** The group as the broker describes it, or null before its first member has reached the broker. */
    private static ConsumerGroupDescription description(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw new IllegalStateException("cannot describe group " + group, e.getCause());
        }
    }

    private static String describe(Admin admin, GatewayConfig config) {
        ConsumerGroupDescription description = description(admin, config.replyGroup());
        if (description == null) {
            return "no group yet";
        }
        return description.groupState() + " " + description.members().stream()
                .map(MemberDescription::assignment).map(Object::toString).collect(Collectors.joining(", "));
    }

    private static long recordsIn(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            ends.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        return admin.listOffsets(ends).all().get().values().stream().mapToLong(end -> end.offset()).sum();
    }
}
