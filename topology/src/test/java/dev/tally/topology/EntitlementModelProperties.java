package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.CancelPackage;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.EntitlementsReport;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureEntitlement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.FeatureUsage;
import dev.tally.schemas.usage.PackageView;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Random interleavings of base and add-on provisionings, cancellations, boosts (some expiring), usage,
 * reservations, commits, releases and the clock passing expiries, driven through the whole topology and
 * compared, decision by decision, with a reference model on plain maps written from the README's rules,
 * not from the engine's classes. Whatever the order: an accepted request never takes usage plus live
 * reservations past the effective HARD limit, a workspace never has two active base packages, and every
 * reservation ends at most once.
 */
class EntitlementModelProperties {

    private static final Instant START = EngineDriver.CLOCK_START;
    /**
     * Record time runs behind the engine's clock (a backlog) and crosses a month boundary in many runs: an
     * expiry on the clock must not start the records' month early, and a commit after the boundary is
     * charged to the new month while its reservation still counts there.
     */
    private static final Instant RECORD_START = Instant.parse("2026-09-30T23:59:20Z");
    /** A metered add-on of 0 that is never cancelled: the feature stays metered per month throughout. */
    private static final Provision FLOOR = new Provision("zz-floor", false, 0);
    /**
     * Every scenario opens with two paths random steps reach in only some runs: the same package provisioned
     * twice, and a reservation that runs out before its commit (a short reservation, a wait past it, then a
     * call on that very reservation).
     */
    private static final List<Step> OPENING = List.of(FLOOR, new Provision("pro", true, 40),
            new Provision("pro", true, 40), new Reserve_(1, 5), new Wait(10), new Commit(0, 1));
    private static final String WS = "acme";
    private static final String TOKENS = "ai.tokens";

    sealed interface Step permits Provision, Cancel, Boost, Use, Reserve_, Commit, Release, Wait, Fill {
    }

    /**
     * A use, reserve or commit of exactly what is left under the limit now, or one more: the boundary,
     * which uniform amounts would rarely hit.
     */
    record Fill(FillKind kind, int pick, boolean oneOver) implements Step {
    }

    enum FillKind { USE, RESERVE, COMMIT }

    record Provision(String code, boolean base, long limit) implements Step {
    }

    record Cancel(String code) implements Step {
    }

    record Boost(String externalId, long amount, Integer expiresInMinutes) implements Step {
    }

    record Use(long amount) implements Step {
    }

    record Reserve_(long amount, long ttlSeconds) implements Step {
    }

    /** Commits the reservation made by the {@code pick}-th latest reserve step (mod their number). */
    record Commit(int pick, long amount) implements Step {
    }

    record Release(int pick) implements Step {
    }

    record Wait(int seconds) implements Step {
    }

    @Property(tries = 30)
    void the_engine_decides_like_the_model_and_never_passes_a_hard_limit(
            @ForAll("scenarios") @Size(min = 15, max = 30) List<Step> steps) throws IOException {
        Path stateDir = Files.createTempDirectory("tally-entitlements-prop");
        try (UsageHarness tally = new UsageHarness(stateDir)) {
            Model model = new Model();
            List<String> reservations = new ArrayList<>();
            Instant clock = START;
            Instant record = RECORD_START;
            int n = 0;
            List<Step> all = new ArrayList<>(OPENING);
            all.addAll(steps);
            for (Step step : all) {
                if (step instanceof Wait wait) {
                    clock = clock.plusSeconds(wait.seconds());
                    record = record.plusSeconds(wait.seconds());
                    tally.advanceClock(Duration.ofSeconds(wait.seconds()));
                    model.expire(clock);
                    continue;
                }
                String id = "s" + n++;
                model.expire(clock);
                UsageRequest request = step instanceof Fill fill ? model.fill(fill, id, reservations, record)
                        : request(step, id, reservations, record);
                if (request == null) {
                    continue;
                }
                if (request instanceof Reserve) {
                    reservations.add(id);
                }
                DecisionCode expected = model.decide(request, record, clock);
                UsageDecision actual = tally.decide(request, record);
                Statistics.label("code").collect(actual.code().name());
                Statistics.label("month").collect(record.atZone(java.time.ZoneOffset.UTC).getMonthValue());
                assertThat(actual.code()).as("%s at %s", request, record).isEqualTo(expected);
                if (actual.outcome() == Outcome.ACCEPTED && actual.limit() != null
                        && actual.enforcement() == Enforcement.HARD && takesMore(request, actual)) {
                    assertThat(actual.used() + actual.reserved()).as("I1 after %s", request)
                            .isLessThanOrEqualTo(actual.limit());
                }
                checkState(tally, model, record);
            }
            checkEachReservationEndedAtMostOnce(tally, model);
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
        Statistics.label("code").coverage(c -> {
            c.check(DecisionCode.RESERVED.name()).count(k -> k > 0);
            c.check(DecisionCode.RESERVATION_COMMITTED.name()).count(k -> k > 0);
            c.check(DecisionCode.QUOTA_EXCEEDED.name()).count(k -> k > 0);
            c.check(DecisionCode.DUPLICATE_EXTERNAL_ID.name()).count(k -> k > 0);
        });
        Statistics.label("month").coverage(c -> c.check(10).count(k -> k > 0));
    }

    /**
     * Whether an accepted request adds to usage plus reservations: a use, a reservation, a commit of more
     * than was reserved. Only those must stay within the limit; a lowered limit may leave the total above
     * it (cancelling takes nothing back), and a commit of no more than was reserved only lowers it.
     */
    private static boolean takesMore(UsageRequest request, UsageDecision decision) {
        if (request instanceof RecordUsage || request instanceof Reserve) {
            return true;
        }
        return request instanceof CommitReservation c && c.amount() > decision.reservation().amount();
    }

    /** The engine's packages, effective limit and counters, read through the topology, against the model. */
    private static void checkState(UsageHarness tally, Model model, Instant now) {
        EntitlementsReport report = tally.entitlements(WS, now);
        assertThat(report.packages().stream().filter(PackageView::base).count()).as("active base packages")
                .isLessThanOrEqualTo(1);
        Map<String, Boolean> packages = new TreeMap<>();
        report.packages().forEach(p -> packages.put(p.packageCode(), p.base()));
        assertThat(packages).as("active packages").isEqualTo(model.activePackages());
        Long limit = report.features().stream().filter(f -> f.feature().equals(TOKENS)).findFirst()
                .map(FeatureEntitlement::limit).orElse(null);
        assertThat(limit).as("effective limit at %s", now).isEqualTo(model.limit(now));
        FeatureUsage usage = tally.report(new ReadUsage("read", WS), now).features().stream()
                .filter(f -> f.feature().equals(TOKENS)).findFirst().orElse(null);
        model.roll(now);
        assertThat(usage == null ? 0 : usage.used()).as("used").isEqualTo(model.used);
        assertThat(usage == null ? 0 : usage.reserved()).as("reserved").isEqualTo(model.reserved());
    }

    private static void checkEachReservationEndedAtMostOnce(UsageHarness tally, Model model) {
        Map<String, Integer> endings = new HashMap<>();
        for (UsageDecision decision : tally.drainDecisions()) {
            boolean ends = decision.code() == DecisionCode.RESERVATION_COMMITTED
                    || decision.code() == DecisionCode.RESERVATION_RELEASED
                    || decision.code() == DecisionCode.RESERVATION_LAPSED;
            if (ends) {
                endings.merge(decision.reservation().reservationId(), 1, Integer::sum);
            }
        }
        endings.forEach((id, count) -> assertThat(count).as("endings of %s", id).isEqualTo(1));
        assertThat(endings.keySet()).isEqualTo(model.ended());
    }

    private static UsageRequest request(Step step, String id, List<String> reservations, Instant now) {
        if (step instanceof Provision p) {
            return new ProvisionPackage(id, WS, null, p.code(), p.base(),
                    Map.of(TOKENS, FeatureGrant.metered(p.limit(), Period.MONTH, Enforcement.HARD)));
        } else if (step instanceof Cancel c) {
            return new CancelPackage(id, WS, null, c.code());
        } else if (step instanceof Boost b) {
            return new AddBoost(id, WS, null, TOKENS, b.amount(), b.externalId(),
                    b.expiresInMinutes() == null ? null : now.plus(Duration.ofMinutes(b.expiresInMinutes())));
        } else if (step instanceof Use u) {
            return new RecordUsage(id, WS, null, TOKENS, u.amount(), null);
        } else if (step instanceof Reserve_ r) {
            return new Reserve(id, WS, null, TOKENS, r.amount(), r.ttlSeconds());
        } else if (step instanceof Commit c) {
            return reservations.isEmpty() ? null
                    : new CommitReservation(id, WS, recent(reservations, c.pick()), c.amount());
        } else if (step instanceof Release r) {
            return reservations.isEmpty() ? null
                    : new ReleaseReservation(id, WS, recent(reservations, r.pick()));
        }
        throw new IllegalArgumentException(step.toString());
    }

    /** The {@code pick}-th latest reservation (mod their number): mostly live ones, sometimes ended ones. */
    private static String recent(List<String> reservations, int pick) {
        return reservations.get(reservations.size() - 1 - pick % reservations.size());
    }

    @Provide
    Arbitrary<List<Step>> scenarios() {
        Arbitrary<Step> provision = Combinators.combine(Arbitraries.of("starter", "pro", "extra-a", "extra-b"),
                        Arbitraries.of(true, false), Arbitraries.of(0L, 20L, 40L, 60L))
                .as((code, base, limit) -> (Step) new Provision(code, base, limit));
        Arbitrary<Step> cancel = Arbitraries.of("starter", "pro", "extra-a", "extra-b").map(Cancel::new);
        Arbitrary<Step> boost = Combinators.combine(Arbitraries.of("inv-1", "inv-2", "inv-3", "inv-4", "inv-5"),
                        Arbitraries.longs().between(1, 20), Arbitraries.integers().between(1, 5).injectNull(0.5))
                .as((ext, amount, minutes) -> (Step) new Boost(ext, amount, minutes));
        Arbitrary<Step> use = Arbitraries.longs().between(1, 25).map(Use::new);
        Arbitrary<Step> reserve = Combinators.combine(Arbitraries.longs().between(1, 25),
                        Arbitraries.of(5L, 5L, 30L, 600L))
                .as((amount, ttl) -> (Step) new Reserve_(amount, ttl));
        Arbitrary<Step> commit = Combinators.combine(Arbitraries.integers().between(0, 3),
                        Arbitraries.longs().between(0, 30))
                .as((pick, amount) -> (Step) new Commit(pick, amount));
        Arbitrary<Step> release = Arbitraries.integers().between(0, 3).map(Release::new);
        Arbitrary<Step> wait = Arbitraries.of(1, 10, 45).map(Wait::new);
        Arbitrary<Step> fill = Combinators.combine(Arbitraries.of(FillKind.class), Arbitraries.integers().between(0, 3),
                        Arbitraries.of(true, false))
                .as((kind, pick, over) -> (Step) new Fill(kind, pick, over));
        return Arbitraries.frequencyOf(
                        Tuple.of(3, provision), Tuple.of(1, cancel), Tuple.of(1, boost), Tuple.of(3, use),
                        Tuple.of(4, reserve), Tuple.of(4, commit), Tuple.of(1, release), Tuple.of(3, wait),
                        Tuple.of(3, fill))
                .list();
    }

    /**
     * The README's rules for one workspace scope and one metered HARD monthly feature, on plain maps. Boosts
     * and usage months follow record time ({@code now}); reservations expire on the engine's clock.
     */
    private static final class Model {
        private final Map<String, long[]> packages = new TreeMap<>(); // code -> {base 0/1, limit}
        private final Map<String, long[]> boosts = new HashMap<>(); // externalId -> {amount, expiresAtMs}
        private final Map<String, long[]> live = new HashMap<>(); // reservationId -> {amount, expiresAtMs}
        private final Set<String> expired = new HashSet<>();
        private final Set<String> endedByCall = new HashSet<>();
        private long used;
        private int month = RECORD_START.atZone(java.time.ZoneOffset.UTC).getMonthValue();

        /** A record in a later month than the counters' starts that month with no usage. */
        void roll(Instant record) {
            int recordMonth = record.atZone(java.time.ZoneOffset.UTC).getMonthValue();
            if (recordMonth > month) {
                month = recordMonth;
                used = 0;
            }
        }

        void expire(Instant now) {
            live.entrySet().removeIf(e -> {
                if (e.getValue()[1] <= now.toEpochMilli()) {
                    expired.add(e.getKey());
                    return true;
                }
                return false;
            });
        }

        Long limit(Instant now) {
            long sum = 0;
            boolean defined = false;
            for (long[] p : packages.values()) {
                sum += p[1];
                defined = true;
            }
            for (long[] b : boosts.values()) {
                if (now.toEpochMilli() < b[1]) {
                    sum += b[0];
                    defined = true;
                }
            }
            return defined ? sum : null;
        }

        long reserved() {
            return live.values().stream().mapToLong(r -> r[0]).sum();
        }

        Map<String, Boolean> activePackages() {
            Map<String, Boolean> view = new TreeMap<>();
            packages.forEach((code, p) -> view.put(code, p[0] == 1));
            return view;
        }

        Set<String> ended() {
            Set<String> all = new HashSet<>(expired);
            all.addAll(endedByCall);
            return all;
        }

        /** The request of a {@link Fill} step: its amount is what is left now, or one more. */
        UsageRequest fill(Fill fill, String id, List<String> reservations, Instant now) {
            roll(now);
            Long limit = limit(now);
            long room = limit == null ? 1 : limit - used - reserved();
            long extra = fill.oneOver() ? 1 : 0;
            if (fill.kind() == FillKind.USE) {
                return new RecordUsage(id, WS, null, TOKENS, Math.max(1, room + extra), null);
            }
            if (fill.kind() == FillKind.RESERVE) {
                return new Reserve(id, WS, null, TOKENS, Math.max(1, room + extra), 600L);
            }
            if (reservations.isEmpty()) {
                return null;
            }
            String reservationId = recent(reservations, fill.pick());
            long[] held = live.get(reservationId);
            long amount = held == null ? 1 : room + held[0] + extra;
            return new CommitReservation(id, WS, reservationId, Math.max(0, amount));
        }

        DecisionCode decide(UsageRequest request, Instant now, Instant clock) {
            roll(now);
            if (request instanceof ProvisionPackage p) {
                long limit = p.features().get(TOKENS).limit();
                long[] existing = packages.get(p.packageCode());
                if (existing != null && existing[0] == (p.base() ? 1 : 0) && existing[1] == limit) {
                    return DecisionCode.ALREADY_PROVISIONED;
                }
                if (p.base()) {
                    packages.values().removeIf(other -> other[0] == 1);
                }
                packages.put(p.packageCode(), new long[] {p.base() ? 1 : 0, limit});
                return DecisionCode.PACKAGE_PROVISIONED;
            }
            if (request instanceof CancelPackage c) {
                return packages.remove(c.packageCode()) != null ? DecisionCode.PACKAGE_CANCELLED
                        : DecisionCode.PACKAGE_NOT_FOUND;
            }
            if (request instanceof AddBoost b) {
                if (boosts.containsKey(b.externalId())) {
                    return DecisionCode.DUPLICATE_EXTERNAL_ID;
                }
                boosts.put(b.externalId(), new long[] {b.amount(),
                        b.expiresAt() == null ? Long.MAX_VALUE : b.expiresAt().toEpochMilli()});
                return DecisionCode.BOOST_ADDED;
            }
            Long limit = limit(now);
            if (request instanceof RecordUsage u) {
                if (limit == null) {
                    return DecisionCode.NO_LIMIT_DEFINED;
                }
                if (used + reserved() + u.amount() > limit) {
                    return DecisionCode.QUOTA_EXCEEDED;
                }
                used += u.amount();
                return DecisionCode.OK;
            }
            if (request instanceof Reserve r) {
                if (limit == null) {
                    return DecisionCode.NO_LIMIT_DEFINED;
                }
                if (used + reserved() + r.amount() > limit) {
                    return DecisionCode.QUOTA_EXCEEDED;
                }
                live.put(r.requestId(), new long[] {r.amount(), clock.toEpochMilli() + r.ttlSeconds() * 1000});
                return DecisionCode.RESERVED;
            }
            String id = request instanceof CommitReservation c ? c.reservationId()
                    : ((ReleaseReservation) request).reservationId();
            if (expired.contains(id)) {
                return DecisionCode.RESERVATION_EXPIRED;
            }
            if (endedByCall.contains(id)) {
                return DecisionCode.RESERVATION_ENDED;
            }
            long[] reservation = live.get(id);
            if (reservation == null) {
                return DecisionCode.RESERVATION_NOT_FOUND; // its reserve step was refused
            }
            if (request instanceof CommitReservation c) {
                long amount = c.amount();
                if (amount > reservation[0]) {
                    if (limit == null) {
                        return DecisionCode.NO_LIMIT_DEFINED;
                    }
                    if (used + reserved() - reservation[0] + amount > limit) {
                        return DecisionCode.QUOTA_EXCEEDED;
                    }
                }
                live.remove(id);
                endedByCall.add(id);
                used += amount;
                return DecisionCode.RESERVATION_COMMITTED;
            }
            live.remove(id);
            endedByCall.add(id);
            return DecisionCode.RESERVATION_RELEASED;
        }
    }
}
