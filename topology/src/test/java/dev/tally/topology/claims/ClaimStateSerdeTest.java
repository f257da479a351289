package dev.tally.topology.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.claims.ClaimStatus;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ClaimStateSerdeTest {

    @Test
    void a_claim_reads_back_as_written() {
        ClaimState pending = new ClaimState("ws_1", ClaimStatus.PENDING, Map.of("plan", "pro", "région", "eu"),
                1_000L, 61_000L, 0L, "r1");
        ClaimState active = pending.confirmed(2_000L);

        assertThat(ClaimStateSerde.read(ClaimStateSerde.write(pending))).isEqualTo(pending);
        assertThat(ClaimStateSerde.read(ClaimStateSerde.write(active))).isEqualTo(active);
        assertThat(active.holdUntilMs()).isZero();
        assertThat(active.status()).isEqualTo(ClaimStatus.ACTIVE);
    }

    @Test
    void bytes_of_another_version_are_refused_not_misread() {
        byte[] bytes = ClaimStateSerde.write(new ClaimState("o", ClaimStatus.ACTIVE, null, 1, 0, 0, "r"));
        bytes[0] = 9;

        assertThatThrownBy(() -> ClaimStateSerde.read(bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 9");
    }
}
