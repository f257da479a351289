package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.claims.Claim;
import dev.tally.schemas.claims.ClaimDecision;
import dev.tally.schemas.claims.ClaimRequest;
import dev.tally.schemas.claims.ConfirmClaim;
import dev.tally.schemas.claims.CreateClaim;
import dev.tally.schemas.claims.GetOrCreateClaim;
import dev.tally.schemas.claims.ReadClaim;
import dev.tally.schemas.claims.ReleaseClaim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Random interleavings of create-only claims, holds, get-or-create, confirms, releases, reads and
 * retries, under several spellings of the same value, while the clock runs and holds expire. Driven
 * through the whole topology and compared, decision by decision, with a reference model written without
 * the engine's classes. Whatever the order, the decision log never shows two live owners of one value.
 */
class ClaimModelProperties {

    private static final Instant START = EngineDriver.CLOCK_START;
    private static final String SCOPE = "tenant-slug";
    /** Three spellings of one slug and a second slug. */
    private static final List<String> VALUES = List.of("acme", "ACME", " Acme ", "globex");
    private static final List<String> OWNERS = List.of("ws_1", "ws_2");

    sealed interface Step permits Fresh, Retry {
        int secondsLater();
    }

    record Fresh(ClaimRequest request, int secondsLater) implements Step {
    }

    /** Replays step {@code index} (mod the writes so far), same id; with {@code changed} another owner. */
    record Retry(int index, boolean changed, int secondsLater) implements Step {
    }

    @Property(tries = 60)
    void the_engine_decides_like_the_reference_model(@ForAll("scenarios") @Size(max = 60) List<Step> steps)
            throws IOException {
        Path stateDir = Files.createTempDirectory("tally-claims-prop");
        try (ClaimHarness tally = new ClaimHarness(stateDir)) {
            Model model = new Model();
            List<ClaimRequest> writes = new ArrayList<>();
            Instant at = START;
            for (Step step : steps) {
                // The engine's clock and the record time move together, as they do for a live producer.
                tally.advanceClock(Duration.ofSeconds(step.secondsLater()));
                at = at.plusSeconds(step.secondsLater());
                ClaimRequest request = requestFor(step, writes);
                if (request == null) {
                    continue;
                }
                Expected expected = model.decide(request, at.toEpochMilli());
                Expected actual;
                if (request instanceof ReadClaim read) {
                    actual = answerTo(tally.read(read.withValue(canonical(read.value())), at));
                } else {
                    writes.add(request);
                    actual = answerTo(tally.call(request, key(request), at));
                }
                assertThat(actual).as("answer to %s at +%ss", request, Duration.between(START, at).toSeconds())
                        .isEqualTo(expected);
            }
            assertNeverTwoLiveOwners(tally.drainDecisions());
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
    }

    /** I3 on the decision log: every claim starts on a free value, and only its owner's claim ends. */
    private static void assertNeverTwoLiveOwners(List<ClaimDecision> log) {
        Map<String, String> liveOwner = new HashMap<>();
        for (ClaimDecision d : log) {
            String value = d.value();
            if (d.code() == DecisionCode.CLAIMED) {
                assertThat(liveOwner.get(value)).as("owner of %s before %s", value, d.requestId()).isNull();
                liveOwner.put(value, d.claim().owner());
            } else if (d.code() == DecisionCode.RELEASED || d.code() == DecisionCode.HOLD_EXPIRED) {
                assertThat(liveOwner.remove(value)).as("owner of %s ended by %s", value, d.code())
                        .isEqualTo(d.claim().owner());
            } else if (d.claim() != null) {
                assertThat(d.claim().owner()).as("owner named by %s", d.requestId()).isEqualTo(liveOwner.get(value));
            }
        }
    }

    private static Expected answerTo(TestRecord<String, byte[]> reply) {
        String code = TallyHeaders.text(reply.headers(), TallyHeaders.CODE);
        Claim claim;
        if (TallyHeaders.KIND_REPORT.equals(TallyHeaders.text(reply.headers(), TallyHeaders.REPLY_KIND))) {
            claim = EngineDriver.read(ClaimHarness.CLAIMS, reply.value());
        } else {
            claim = EngineDriver.read(ClaimHarness.DECISIONS, reply.value()).claim();
        }
        return new Expected(code, claim == null ? null : claim.owner(),
                claim == null ? null : claim.status().name());
    }

    private static ClaimRequest requestFor(Step step, List<ClaimRequest> writes) {
        if (step instanceof Fresh fresh) {
            return fresh.request.withRequestId("r" + writes.size());
        }
        Retry retry = (Retry) step;
        if (writes.isEmpty()) {
            return null;
        }
        ClaimRequest earlier = writes.get(retry.index % writes.size());
        if (!retry.changed) {
            return earlier;
        }
        if (earlier instanceof CreateClaim c) {
            return new CreateClaim(c.requestId(), c.scope(), c.value(), "ws_9", null, c.holdSeconds());
        } else if (earlier instanceof GetOrCreateClaim g) {
            return new GetOrCreateClaim(g.requestId(), g.scope(), g.value(), "ws_9", null);
        } else if (earlier instanceof ConfirmClaim c) {
            return new ConfirmClaim(c.requestId(), c.scope(), c.value(), "ws_9");
        }
        ReleaseClaim r = (ReleaseClaim) earlier;
        return new ReleaseClaim(r.requestId(), r.scope(), r.value(), "ws_9");
    }

    /** The key the gateway would put on the record: the canonical spelling, as the README states it. */
    private static String key(ClaimRequest request) {
        return SCOPE + "/" + canonical(request.value());
    }

    private static String canonical(String slug) {
        return slug.strip().toLowerCase(Locale.ROOT);
    }

    @Provide
    Arbitrary<List<Step>> scenarios() {
        Arbitrary<String> value = Arbitraries.of(VALUES);
        Arbitrary<String> owner = Arbitraries.of(OWNERS);
        // Steps and holds in whole multiples of 5 s, so that requests often land exactly on a hold's end.
        Arbitrary<Integer> seconds = Arbitraries.integers().between(0, 8).map(n -> n * 5)
                .edgeCases(c -> c.includeOnly(0));
        Arbitrary<Step> create = Combinators.combine(value, owner, seconds)
                .as((v, o, s) -> (Step) new Fresh(new CreateClaim(null, SCOPE, v, o, null, null), s));
        Arbitrary<Step> hold = Combinators.combine(value, owner, Arbitraries.longs().between(1, 12).map(n -> n * 5), seconds)
                .as((v, o, h, s) -> (Step) new Fresh(new CreateClaim(null, SCOPE, v, o, null, h), s));
        Arbitrary<Step> getOrCreate = Combinators.combine(value, owner, seconds)
                .as((v, o, s) -> (Step) new Fresh(new GetOrCreateClaim(null, SCOPE, v, o, null), s));
        Arbitrary<Step> confirm = Combinators.combine(value, owner, seconds)
                .as((v, o, s) -> (Step) new Fresh(new ConfirmClaim(null, SCOPE, v, o), s));
        Arbitrary<Step> release = Combinators.combine(value, owner, seconds)
                .as((v, o, s) -> (Step) new Fresh(new ReleaseClaim(null, SCOPE, v, o), s));
        Arbitrary<Step> read = Combinators.combine(value, seconds)
                .as((v, s) -> (Step) new Fresh(new ReadClaim("read", SCOPE, v), s));
        Arbitrary<Step> retry = Combinators.combine(Arbitraries.integers().between(0, 1000),
                        Arbitraries.of(true, false), seconds)
                .as((index, changed, s) -> (Step) new Retry(index, changed, s));
        return Arbitraries.frequencyOf(
                        Tuple.of(3, create), Tuple.of(3, hold), Tuple.of(2, getOrCreate), Tuple.of(3, confirm),
                        Tuple.of(2, release), Tuple.of(1, read), Tuple.of(2, retry))
                .list();
    }

    /** What a caller sees: the code, and the owner and status of the claim the answer names, if any. */
    private record Expected(String code, String owner, String status) {
    }

    /**
     * The rules as the README states them, on plain maps: one live claim per canonical value; holds end at
     * their deadline; a retried id gets its first answer.
     */
    private static final class Model {
        private record Live(String owner, boolean pending, long holdUntilMs) {
        }

        private final Map<String, Live> claims = new HashMap<>();
        private final Map<String, ClaimRequest> bodies = new HashMap<>();
        private final Map<String, Expected> answers = new HashMap<>();

        Expected decide(ClaimRequest request, long atMs) {
            claims.values().removeIf(live -> live.pending && live.holdUntilMs <= atMs);
            String value = canonical(request.value());
            Live live = claims.get(value);
            if (request instanceof ReadClaim) {
                return live == null ? new Expected("CLAIM_NOT_FOUND", null, null) : answer("OK", live);
            }
            String id = value + "/" + request.requestId();
            ClaimRequest normalised = request.withValue(value);
            if (bodies.containsKey(id)) {
                return Objects.equals(bodies.get(id), normalised) ? answers.get(id)
                        : new Expected("REQUEST_ID_REUSED", null, null);
            }
            Expected answer = apply(request, value, live, atMs);
            bodies.put(id, normalised);
            answers.put(id, answer);
            return answer;
        }

        private Expected apply(ClaimRequest request, String value, Live live, long atMs) {
            if (request instanceof CreateClaim c) {
                if (live != null) {
                    return answer("ALREADY_CLAIMED", live);
                }
                Live created = c.holdSeconds() == null ? new Live(c.owner(), false, 0)
                        : new Live(c.owner(), true, atMs + c.holdSeconds() * 1000);
                claims.put(value, created);
                return answer("CLAIMED", created);
            }
            if (request instanceof GetOrCreateClaim g) {
                if (live != null) {
                    return answer("CLAIM_EXISTS", live);
                }
                Live created = new Live(g.owner(), false, 0);
                claims.put(value, created);
                return answer("CLAIMED", created);
            }
            String owner = request instanceof ConfirmClaim c ? c.owner() : ((ReleaseClaim) request).owner();
            if (live == null) {
                return new Expected("CLAIM_NOT_FOUND", null, null);
            }
            if (!live.owner.equals(owner)) {
                return answer("NOT_OWNER", live);
            }
            if (request instanceof ConfirmClaim) {
                Live active = new Live(owner, false, 0);
                claims.put(value, active);
                return answer("CONFIRMED", active);
            }
            claims.remove(value);
            return answer("RELEASED", live);
        }

        private static Expected answer(String code, Live live) {
            return new Expected(code, live.owner, live.pending ? "PENDING" : "ACTIVE");
        }
    }
}
