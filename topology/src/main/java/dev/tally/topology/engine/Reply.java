package dev.tally.topology.engine;

/**
 * An answer for one waiting gateway call, bound for the replies-topic partition that gateway reads.
 * Travels from the processor to the replies sink, whose partitioner and serializer unpack it.
 */
public record Reply(int partition, String correlationId, byte[] body) {
}
