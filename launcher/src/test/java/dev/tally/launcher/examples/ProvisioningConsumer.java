package dev.tally.launcher.examples;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tally.schemas.Json;
import dev.tally.schemas.claims.Claim;
import dev.tally.schemas.claims.ClaimDecision;
import dev.tally.schemas.claims.ClaimStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The README's example consumer of the claims decisions topic: a provisioning workflow that starts work
 * for a held claim, finishes it when confirmed, and undoes it when the hold expires or the claim is
 * released. ClaimsIT runs it against a real broker.
 */
public final class ProvisioningConsumer implements AutoCloseable {

    /** What the workflow does for each kind of decision. */
    public interface Workflow {
        void provision(Claim held);

        void activate(Claim confirmed);

        void undo(Claim ended);
    }

    // Decisions may gain fields; a consumer ignores the ones it does not know.
    private static final ObjectReader DECISIONS = Json.mapper().readerFor(ClaimDecision.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Workflow workflow;

    public ProvisioningConsumer(String bootstrapServers, String decisionsTopic, String groupId, Workflow workflow) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // The engine writes in transactions: read only what it committed.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.workflow = workflow;
        consumer.subscribe(List.of(decisionsTopic));
    }

    /** Handles what one poll returns, then commits: decisions of one claim key arrive in order. */
    public void pollOnce(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            ClaimDecision decision = read(record.value());
            switch (decision.code()) {
                case CLAIMED -> {
                    if (decision.claim().status() == ClaimStatus.PENDING) {
                        workflow.provision(decision.claim());
                    } else {
                        workflow.activate(decision.claim());
                    }
                }
                case CONFIRMED -> workflow.activate(decision.claim());
                case HOLD_EXPIRED, RELEASED -> workflow.undo(decision.claim());
                default -> {
                    // Rejections and get-or-create finds change no claim.
                }
            }
        }
        consumer.commitSync();
    }

    private static ClaimDecision read(byte[] json) {
        try {
            return DECISIONS.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
