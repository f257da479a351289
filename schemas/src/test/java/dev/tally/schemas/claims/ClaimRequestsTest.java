package dev.tally.schemas.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.FieldError;
import dev.tally.schemas.RequestCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimRequestsTest {

    private static final RequestCodec<ClaimRequest> CODEC = RequestCodec.of(ClaimRequest.class);
    private static final ClaimScopes SCOPES = ClaimScopes.parse(List.of("tenant-slug=slug"));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_claim_written_by_any_client_reads_back_and_is_keyed_by_its_canonical_value() throws Exception {
        ClaimRequest read = CODEC.read(utf8("{\"type\":\"create-claim\",\"requestId\":\"r1\",\"scope\":\"tenant-slug\","
                + "\"value\":\"Acme\",\"owner\":\"ws_1\",\"attributes\":{\"plan\":\"pro\"},\"holdSeconds\":60}"));

        assertThat(read).isEqualTo(new CreateClaim("r1", "tenant-slug", "Acme", "ws_1", Map.of("plan", "pro"), 60L));
        ClaimValidation.Checked checked = ClaimValidation.check(read, SCOPES);
        assertThat(checked.errors()).isEmpty();
        assertThat(checked.request().entityKey()).isEqualTo("tenant-slug/acme");
        assertThat(CODEC.read(CODEC.write(checked.request()))).isEqualTo(checked.request());
    }

    @Test
    void no_attributes_and_empty_attributes_are_one_request() {
        assertThat(new GetOrCreateClaim("r", "s", "v", "o", Map.of()))
                .isEqualTo(new GetOrCreateClaim("r", "s", "v", "o", null));
    }

    @Test
    void unreadable_claims_are_refused_naming_the_field() {
        assertThatThrownBy(() -> CODEC.read(utf8("{\"type\":\"create-claim\",\"holdSeconds\":\"60\"}")))
                .hasMessageStartingWith("holdSeconds");
        assertThatThrownBy(() -> CODEC.read(utf8("{\"type\":\"create-claim\",\"onwer\":\"x\"}")))
                .hasMessageContaining("onwer");
    }

    @Test
    void validation_names_every_field_at_fault_and_tells_keyed_from_unkeyed() {
        ClaimValidation.Checked bad = ClaimValidation.check(new CreateClaim("r1", "tenant-slug", "acme", null,
                Map.of("bad name", "x"), 0L), SCOPES);
        assertThat(bad.errors()).extracting(FieldError::field)
                .containsExactly("owner", "attributes.bad name", "holdSeconds");
        assertThat(bad.isKeyed()).isTrue();

        ClaimValidation.Checked unkeyed = ClaimValidation.check(new ReleaseClaim("r1", "tenant-slug", "acme inc",
                "ws_1"), SCOPES);
        assertThat(unkeyed.errors()).extracting(FieldError::field).containsExactly("value");
        assertThat(unkeyed.isKeyed()).isFalse();
        assertThat(ClaimValidation.check(new ReadClaim("r1", "tenant-slug", "ACME"), SCOPES).request())
                .isEqualTo(new ReadClaim("r1", "tenant-slug", "acme"));
    }
}
