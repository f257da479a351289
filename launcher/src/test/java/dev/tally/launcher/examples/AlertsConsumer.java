package dev.tally.launcher.examples;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tally.schemas.Json;
import dev.tally.schemas.usage.UsageAlert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The README's example consumer of the usage alerts topic: a notifier that tells a workspace's owners when
 * usage reaches 80, 90 and 100 % of a limit. The engine writes each alert once, in the transaction of the
 * usage that crossed it; a consumer that may see a record twice (it crashed after notifying and before
 * committing its offset) skips alertIds it has already handled. UsageAlertsIT runs it against a real broker.
 */
public final class AlertsConsumer implements AutoCloseable {

    // Alerts may gain fields; a consumer ignores the ones it does not know.
    private static final ObjectReader ALERTS = Json.mapper().readerFor(UsageAlert.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> handled;
    private final Consumer<UsageAlert> notifier;
    private long duplicatesSkipped;

    /** {@code handled}: alertIds already notified, kept where the notifier keeps its own state. */
    public AlertsConsumer(String bootstrapServers, String alertsTopic, String groupId, Set<String> handled,
                          Consumer<UsageAlert> notifier) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // The engine writes in transactions: read only what it committed, or an aborted usage would alert.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.handled = handled;
        this.notifier = notifier;
        consumer.subscribe(List.of(alertsTopic));
    }

    /** Notifies what one poll returns, each alertId once, then commits. */
    public void pollOnce(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            UsageAlert alert = read(record.value());
            if (handled.add(alert.alertId())) {
                notifier.accept(alert);
            } else {
                duplicatesSkipped++;
            }
        }
        consumer.commitSync();
    }

    /** Records read again with an alertId already handled (redelivered after a crash of this consumer). */
    public long duplicatesSkipped() {
        return duplicatesSkipped;
    }

    private static UsageAlert read(byte[] json) {
        try {
            return ALERTS.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
