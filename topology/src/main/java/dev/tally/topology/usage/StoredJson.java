package dev.tally.topology.usage;

import dev.tally.schemas.RequestCodec;
import org.apache.kafka.common.errors.SerializationException;

/** Reads JSON the engine wrote into its own stores: unreadable there is a broken store, not bad input. */
final class StoredJson {

    private StoredJson() {
    }

    static <T> T read(RequestCodec<T> codec, byte[] bytes) {
        try {
            return codec.read(bytes);
        } catch (RequestCodec.UnreadableException e) {
            throw new SerializationException("unreadable entitlement record: " + e.getMessage());
        }
    }
}
