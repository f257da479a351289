package dev.tally.gateway.kafka;

import dev.tally.gateway.GatewayConfig;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The settings of the gateway's Kafka clients. The {@code kafka.*} pass-through (security and the like)
 * goes in first; the settings the gateway's guarantees rest on are set over it.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    public static Map<String, Object> producer(GatewayConfig config) {
        Map<String, Object> settings = config.adminClientSettings();
        // Idempotent with acks=all: a request is written once, in order, and survives a broker loss.
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, config.producerLingerMs());
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // send() must not hold an HTTP thread longer than the call would wait for its decision anyway.
        settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.decisionTimeoutMs());
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, config.topicNames().prefix() + "gateway-producer");
        return settings;
    }

    public static Map<String, Object> replyConsumer(GatewayConfig config) {
        Map<String, Object> settings = config.adminClientSettings();
        // One group for all gateways: the group spreads the reply partitions over the instances.
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.replyGroup());
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        // Replies are written in the engine's transactions: never read one that might be aborted.
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Positions are set at the end on assignment; a committed offset would only replay stale replies.
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.topicNames().prefix() + "gateway-replies");
        return settings;
    }
}
