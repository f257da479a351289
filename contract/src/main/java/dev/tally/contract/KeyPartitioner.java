package dev.tally.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition the Java client's default partitioner picks for a key: murmur2 of the UTF-8 key bytes.
 * The engine checks every request against it, because clients in other languages default to other hashes
 * and would otherwise split one entity's state across two tasks.
 */
public final class KeyPartitioner {

    private KeyPartitioner() {
    }

    public static int partitionFor(String key, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }
}
