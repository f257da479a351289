package dev.tally.topology.claims;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.claims.ClaimDecision;
import dev.tally.schemas.claims.ClaimStatus;
import dev.tally.schemas.claims.CreateClaim;
import dev.tally.schemas.claims.GetOrCreateClaim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The claim rules on plain maps, without Kafka. */
class ClaimBookTest {

    /** Claims in a map; holds found by scanning it, which is fine for a handful. */
    private static final class MapClaims implements ClaimRecords {
        final Map<String, ClaimState> claims = new HashMap<>();

        @Override
        public ClaimState get(String key) {
            return claims.get(key);
        }

        @Override
        public void put(String key, ClaimState before, ClaimState after) {
            claims.put(key, after);
        }

        @Override
        public void delete(String key, ClaimState before) {
            claims.remove(key);
        }

        @Override
        public List<Held> holdsEndingBy(long atMs, int max) {
            return claims.entrySet().stream()
                    .filter(e -> e.getValue().holdExpiredAt(atMs))
                    .sorted(Map.Entry.comparingByValue(
                            java.util.Comparator.comparingLong(ClaimState::holdUntilMs)))
                    .limit(max)
                    .map(e -> new Held(e.getKey(), e.getValue()))
                    .toList();
        }
    }

    private final MapClaims records = new MapClaims();
    private final ClaimBook book = new ClaimBook(records);

    private ClaimDecision decide(Object request, long atMs) {
        var claim = (dev.tally.schemas.claims.ClaimRequest) request;
        return book.decide(claim, book.liveAt(claim.entityKey(), atMs, new ArrayList<>()), atMs, atMs);
    }

    @Test
    void a_hold_ends_exactly_at_its_deadline_and_not_a_millisecond_before() {
        decide(new CreateClaim("h", "tenant-slug", "acme", "ws_1", null, 10L), 0);
        List<ClaimDecision> events = new ArrayList<>();

        ClaimState before = book.liveAt("tenant-slug/acme", 9_999, events);
        ClaimState at = book.liveAt("tenant-slug/acme", 10_000, events);

        assertThat(before.status()).isEqualTo(ClaimStatus.PENDING);
        assertThat(at).isNull();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(DecisionCode.HOLD_EXPIRED);
            assertThat(e.scope()).isEqualTo("tenant-slug");
            assertThat(e.value()).isEqualTo("acme");
        });
        assertThat(records.claims).isEmpty();
    }

    @Test
    void expiry_ends_at_most_the_bound_per_call_earliest_first() {
        for (int i = 0; i < 5; i++) {
            decide(new CreateClaim("h" + i, "tenant-slug", "v" + i, "ws", null, 10L + i), 0);
        }
        decide(new GetOrCreateClaim("g", "tenant-slug", "active", "ws", null), 0);

        List<ClaimDecision> first = book.expireDue(60_000, 3);
        List<ClaimDecision> second = book.expireDue(60_000, 3);

        assertThat(first).extracting(ClaimDecision::value).containsExactly("v0", "v1", "v2");
        assertThat(second).extracting(ClaimDecision::value).containsExactly("v3", "v4");
        assertThat(records.claims).containsOnlyKeys("tenant-slug/active");
    }
}
