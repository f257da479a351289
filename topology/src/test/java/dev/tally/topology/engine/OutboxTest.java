package dev.tally.topology.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboxTest {

    /** A producer sending to partition -1 fails the task on every retry: such an address must be refused. */
    @Test
    void aReplyHeaderNamesAPartitionOnlyIfItIsANumberOfZeroOrMore() {
        assertThat(Outbox.replyPartition("3")).isEqualTo(3);
        assertThat(Outbox.replyPartition(" 0 ")).isZero();
        assertThat(Outbox.replyPartition("-1")).isEqualTo(-1);
        assertThat(Outbox.replyPartition("-7")).isEqualTo(-1);
        assertThat(Outbox.replyPartition("x")).isEqualTo(-1);
        assertThat(Outbox.replyPartition("99999999999")).isEqualTo(-1);
    }
}
