package dev.tally.topology.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RememberedSerdeTest {

    @Test
    void aRememberedDecisionComesBackAsItWent() {
        byte[] decision = "{\"requestId\":\"u-1\",\"code\":\"OK\",\"note\":\"ünïcode\"}".getBytes(StandardCharsets.UTF_8);
        Remembered remembered = new Remembered("fp-Ä1", 1_764_000_000_123L, "QUOTA_EXCEEDED", decision);

        Remembered back = RememberedSerde.read(RememberedSerde.write(remembered));

        assertThat(back.fingerprint()).isEqualTo("fp-Ä1");
        assertThat(back.decidedAtMs()).isEqualTo(1_764_000_000_123L);
        assertThat(back.code()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(back.decision()).isEqualTo(decision);
    }

    @Test
    void bytesOfAnotherVersionAreRefusedRatherThanMisread() {
        byte[] bytes = RememberedSerde.write(new Remembered("f", 1, "OK", new byte[0]));
        bytes[0] = 2;

        assertThatThrownBy(() -> RememberedSerde.read(bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 2");
    }
}
