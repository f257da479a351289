package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The client settings fail-over time rests on (README, Reliability): a dead instance's partitions wait for
 * its session and for its open transaction to time out, so both are short, and a passthrough may still
 * change them.
 */
class EngineSettingsTest {

    private static Properties streams(Map<String, Object> settings) {
        return TallyEngine.streamsProperties(new EngineConfig(settings));
    }

    @Test
    void aDeadInstancesSessionAndTransactionTimeOutWithinSeconds() {
        Properties props = streams(Map.of());

        assertThat(props.get(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))).isEqualTo(6_000);
        assertThat(props.get(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)))
                .isEqualTo(2_000);
        assertThat(props.get(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))).isEqualTo(5_000);
    }

    @Test
    void theTransactionTimeoutStaysTenCommitIntervalsAboveALongCommitInterval() {
        Properties props = streams(Map.of(EngineConfig.COMMIT_INTERVAL_MS, 2_000L));

        assertThat(props.get(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)))
                .isEqualTo(20_000);
    }

    @Test
    void thePrefixedPassthroughReplacesTheSessionTimeout() {
        Properties props = streams(Map.of("kafka.consumer.session.timeout.ms", "45000"));

        assertThat(props.get(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).toString())
                .isEqualTo("45000");
    }
}
