package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random interleavings of limit changes, usage, dry runs, retries and reused ids, driven through the whole
 * topology and compared, decision by decision, with a small reference model written independently of the
 * ledger. Whatever the order, HARD limits are never exceeded.
 */
class UsageModelProperties {

    private static final Instant START = Instant.parse("2026-10-31T20:00:00Z");
    private static final List<String> WORKSPACES = List.of("acme", "globex");
    private static final List<String> NAMESPACES = List.of("team-a", "team-b");

    /** One step of a scenario: a request (new, or a retry of an earlier one) after some minutes. */
    sealed interface Step permits Fresh, Retry {
        int minutesLater();
    }

    record Fresh(UsageRequest request, int minutesLater) implements Step {
    }

    /** Replays step {@code index} (mod the steps so far), same id; with {@code changed} a different body. */
    record Retry(int index, boolean changed, int minutesLater) implements Step {
    }

    @Property(tries = 60)
    void the_engine_decides_like_the_reference_model(@ForAll("scenarios") @Size(max = 60) List<Step> steps)
            throws IOException {
        Path stateDir = Files.createTempDirectory("tally-prop");
        try (UsageHarness tally = new UsageHarness(stateDir)) {
            Model model = new Model();
            List<UsageRequest> sent = new ArrayList<>();
            Instant at = START;
            for (Step step : steps) {
                at = at.plus(step.minutesLater(), ChronoUnit.MINUTES);
                UsageRequest request = requestFor(step, sent);
                if (request == null) {
                    continue;
                }
                sent.add(request);
                UsageDecision actual = tally.decide(request, at);
                Expected expected = model.decide(request, at);
                assertThat(actual.code()).as("code of %s at %s", request, at).isEqualTo(expected.code);
                if (expected.used != null) {
                    assertThat(actual.used()).as("used after %s at %s", request, at).isEqualTo(expected.used);
                }
                if (request instanceof RecordUsage && actual.outcome() == dev.tally.schemas.Outcome.ACCEPTED
                        && actual.enforcement() == Enforcement.HARD) {
                    assertThat(actual.used()).as("I1 after %s", request).isLessThanOrEqualTo(actual.limit());
                }
            }
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
    }

    private static UsageRequest requestFor(Step step, List<UsageRequest> sent) {
        if (step instanceof Fresh fresh) {
            return fresh.request.withRequestId("r" + sent.size());
        }
        Retry retry = (Retry) step;
        if (sent.isEmpty()) {
            return null;
        }
        UsageRequest earlier = sent.get(retry.index % sent.size());
        if (!retry.changed) {
            return earlier;
        }
        if (earlier instanceof RecordUsage u) {
            return new RecordUsage(u.requestId(), u.workspace(), u.namespace(), u.feature(), u.amount() + 1,
                    u.dryRun());
        }
        SetLimit s = (SetLimit) earlier;
        return new SetLimit(s.requestId(), s.workspace(), s.namespace(), s.feature(), s.limit() + 1, s.period(),
                s.enforcement());
    }

    @Provide
    Arbitrary<List<Step>> scenarios() {
        Arbitrary<String> workspace = Arbitraries.of(WORKSPACES);
        Arbitrary<String> namespace = Arbitraries.of(NAMESPACES).injectNull(0.5);
        Arbitrary<Integer> minutes = Arbitraries.integers().between(0, 40).edgeCases(c -> c.includeOnly(0));
        Arbitrary<Step> setLimit = Combinators.combine(workspace, namespace,
                        Arbitraries.longs().between(0, 60), Arbitraries.of(Period.HOUR, Period.DAY, Period.MONTH),
                        Arbitraries.of(Enforcement.values()), minutes)
                .as((ws, ns, limit, period, enforcement, m) -> (Step) new Fresh(
                        new SetLimit(null, ws, ns, "ai.tokens", limit, period, enforcement), m));
        Arbitrary<Step> usage = Combinators.combine(workspace, namespace, Arbitraries.longs().between(1, 25),
                        Arbitraries.of(true, false).injectNull(0.3), minutes)
                .as((ws, ns, amount, dry, m) -> (Step) new Fresh(
                        new RecordUsage(null, ws, ns, "ai.tokens", amount, dry), m));
        Arbitrary<Step> retry = Combinators.combine(Arbitraries.integers().between(0, 1000),
                        Arbitraries.of(true, false), minutes)
                .as((index, changed, m) -> (Step) new Retry(index, changed, m));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(2, setLimit),
                        net.jqwik.api.Tuple.of(6, usage),
                        net.jqwik.api.Tuple.of(2, retry))
                .list();
    }

    private record Expected(DecisionCode code, Long used) {
    }

    /**
     * The rules as a reader of the README would state them, without the ledger's classes: a limit per
     * (workspace, namespace-or-none); usage checks every limited scope it touches and charges all or none.
     */
    private static final class Model {
        private final Map<String, long[]> accounts = new HashMap<>(); // limit, periodStartMs, used
        private final Map<String, Period> periods = new HashMap<>();
        private final Map<String, Enforcement> enforcement = new HashMap<>();
        private final Map<String, UsageRequest> bodies = new HashMap<>();
        private final Map<String, Expected> answers = new HashMap<>();

        Expected decide(UsageRequest request, Instant at) {
            String id = request.workspace() + "/" + request.requestId();
            if (bodies.containsKey(id)) {
                return Objects.equals(bodies.get(id), request)
                        ? answers.get(id)
                        : new Expected(DecisionCode.REQUEST_ID_REUSED, null);
            }
            Expected answer = request instanceof SetLimit s ? set(s, at) : use((RecordUsage) request, at);
            bodies.put(id, request);
            answers.put(id, answer);
            return answer;
        }

        private Expected set(SetLimit s, Instant at) {
            String scope = scope(s.workspace(), s.namespace());
            long start = periodStart(s.period(), at);
            long[] account = accounts.get(scope);
            if (account == null) {
                account = new long[] {s.limit(), start, 0};
            } else {
                roll(scope, at);
                long keptStart = periods.get(scope) == s.period() ? account[1] : start;
                account = new long[] {s.limit(), keptStart, account[2]};
            }
            accounts.put(scope, account);
            periods.put(scope, s.period());
            enforcement.put(scope, s.enforcement());
            return new Expected(DecisionCode.LIMIT_SET, account[2]);
        }

        private Expected use(RecordUsage u, Instant at) {
            List<String> scopes = new ArrayList<>();
            if (u.namespace() != null && accounts.containsKey(scope(u.workspace(), u.namespace()))) {
                scopes.add(scope(u.workspace(), u.namespace()));
            }
            if (accounts.containsKey(scope(u.workspace(), null))) {
                scopes.add(scope(u.workspace(), null));
            }
            if (scopes.isEmpty()) {
                return new Expected(DecisionCode.NO_LIMIT_DEFINED, null);
            }
            scopes.forEach(scope -> roll(scope, at));
            for (String scope : scopes) {
                long[] a = accounts.get(scope);
                if (enforcement.get(scope) == Enforcement.HARD && a[2] + u.amount() > a[0]) {
                    return new Expected(DecisionCode.QUOTA_EXCEEDED, a[2]);
                }
            }
            boolean over = false;
            String binding = null;
            for (String scope : scopes) {
                long[] a = accounts.get(scope);
                over |= a[2] + u.amount() > a[0];
                if (binding == null || a[0] - a[2] < accounts.get(binding)[0] - accounts.get(binding)[2]) {
                    binding = scope;
                }
            }
            long bindingUsed = accounts.get(binding)[2];
            if (!u.isDryRun()) {
                scopes.forEach(scope -> accounts.get(scope)[2] += u.amount());
                bindingUsed += u.amount();
            }
            return new Expected(over ? DecisionCode.SOFT_LIMIT_EXCEEDED : DecisionCode.OK, bindingUsed);
        }

        private void roll(String scope, Instant at) {
            long[] a = accounts.get(scope);
            long start = periodStart(periods.get(scope), at);
            if (start > a[1]) {
                a[1] = start;
                a[2] = 0;
            }
        }

        private static String scope(String workspace, String namespace) {
            return workspace + "/" + (namespace == null ? "" : namespace);
        }

        private static long periodStart(Period period, Instant at) {
            var utc = at.atZone(ZoneOffset.UTC);
            return switch (period) {
                case HOUR -> utc.truncatedTo(ChronoUnit.HOURS).toInstant().toEpochMilli();
                case DAY -> utc.truncatedTo(ChronoUnit.DAYS).toInstant().toEpochMilli();
                case MONTH -> utc.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant().toEpochMilli();
                case LIFETIME -> 0L;
            };
        }
    }
}
