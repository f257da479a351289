package dev.tally.topology.engine;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tally.schemas.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** JSON values of the engine's own stores, with the shared mapper. */
public final class JsonSerde {

    private JsonSerde() {
    }

    public static <T> Serde<T> of(Class<T> type) {
        ObjectWriter writer = Json.mapper().writerFor(type);
        ObjectReader reader = Json.mapper().readerFor(type);
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return writer.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new SerializationException("cannot write " + type.getSimpleName(), e);
            }
        };
        Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return reader.readValue(bytes);
            } catch (IOException e) {
                // The engine wrote these bytes itself: failing to read them back is a broken invariant.
                throw new SerializationException("cannot read " + type.getSimpleName() + " from a store", e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
