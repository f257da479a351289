package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TallyHeaders;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit's request-to-answer check on hand-made logs: what counts as answered, and what is reported. */
class EveryRequestDecidedTest {

    private static final String PREFIX = "t.";
    private static final long NOW = 1_000_000;
    private final EveryRequestDecided check = new EveryRequestDecided(PREFIX, NOW);
    private final HandMadeLog log = new HandMadeLog(PREFIX);

    private LoggedRecord record(String topic, String key, long timestamp, Map<String, String> headers, String json) {
        return log.record(topic, 0, key, timestamp, headers, json);
    }

    private LoggedRecord request(String json) {
        return record("usage.requests", "ws", NOW - 1, Map.of(), json);
    }

    private LoggedRecord decision(String requestId) {
        return record("usage.decisions", "ws", NOW, Map.of(), "{\"requestId\":\"" + requestId + "\"}");
    }

    private LoggedRecord deadLetterOf(LoggedRecord request) {
        Map<String, String> headers = new HashMap<>(request.headers());
        headers.put(TallyHeaders.DLQ_TOPIC, request.topic());
        headers.put(TallyHeaders.DLQ_PARTITION, Integer.toString(request.partition()));
        headers.put(TallyHeaders.DLQ_OFFSET, Long.toString(request.offset()));
        return record("dead-letter", request.key(), NOW, headers, null);
    }

    @Test
    void aWriteWithADecisionIsAnsweredAndOneWithoutIsReportedWithItsPosition() {
        check.accept(request("{\"type\":\"record-usage\",\"requestId\":\"r1\"}"));
        LoggedRecord lost = request("{\"type\":\"record-usage\",\"requestId\":\"r2\"}");
        check.accept(lost);
        check.accept(decision("r1"));

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I4");
            assertThat(violation.what()).contains("'r2'");
            assertThat(violation.positions()).containsExactly(lost.position());
        });
    }

    @Test
    void aRetryIsAnsweredByTheFirstDecisionOfItsId() {
        check.accept(request("{\"type\":\"record-usage\",\"requestId\":\"r1\"}"));
        check.accept(request("{\"type\":\"record-usage\",\"requestId\":\"r1\"}"));
        check.accept(decision("r1"));

        assertThat(check.violations()).isEmpty();
    }

    @Test
    void anUnreadableRecordIsAnsweredByItsDeadLetterOnly() {
        LoggedRecord notJson = request(null);
        LoggedRecord unknownField = request("{\"type\":\"record-usage\",\"requestId\":\"r3\",\"bogus\":1}");
        LoggedRecord alsoLost = request("{\"type\":\"record-usage\",\"requestId\":\"r4\",\"bogus\":1}");
        check.accept(notJson);
        check.accept(unknownField);
        check.accept(alsoLost);
        check.accept(deadLetterOf(notJson));
        check.accept(deadLetterOf(unknownField));

        assertThat(check.violations()).singleElement()
                .satisfies(violation -> assertThat(violation.positions()).containsExactly(alsoLost.position()));
        assertThat(check.summary()).contains("3 writes (2 dead-lettered");
    }

    @Test
    void aRequestWithoutAnIdIsAnsweredByTheDecisionNamedAfterItsPosition() {
        LoggedRecord noId = request("{\"type\":\"record-usage\",\"workspace\":\"ws\"}");
        check.accept(noId);
        check.accept(decision(noId.position()));

        assertThat(check.violations()).isEmpty();
    }

    @Test
    void aReRoutedCopyIsNotCountedAndItsDeadLetterAnswersForTheOriginal() {
        LoggedRecord original = request("{\"type\":\"record-usage\",\"requestId\":\"r5\"}");
        LoggedRecord copy = record("usage.requests", "ws", NOW - 1,
                Map.of(TallyHeaders.REROUTED_FROM, original.position()), "{\"type\":\"record-usage\",\"requestId\":\"r5\"}");
        check.accept(original);
        check.accept(copy);
        check.accept(deadLetterOf(copy));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("1 writes").contains("1 re-routed copies");
    }

    @Test
    void readsAreNotCheckedAndRecentWritesAreCountedNotReported() {
        check.accept(request("{\"type\":\"read-usage\",\"requestId\":\"r6\"}"));
        check.accept(record("usage.requests", "ws", NOW, Map.of(), "{\"type\":\"record-usage\",\"requestId\":\"r7\"}"));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("1 too recent to tell").contains("1 reads");
    }

    @Test
    void aCompositeSentAgainUnderANewRequestIdIsAnsweredByItsCompositeIdsDecision() {
        // (the engine answers the same compositeId with the first decision, to the caller only)
        check.accept(record("composites.requests", "c1", NOW - 1, Map.of(),
                "{\"type\":\"book-composite\",\"requestId\":\"r1\",\"compositeId\":\"c1\"}"));
        check.accept(record("composites.requests", "c1", NOW - 1, Map.of(),
                "{\"type\":\"book-composite\",\"requestId\":\"r2\",\"compositeId\":\"c1\"}"));
        check.accept(record("composites.decisions", "c1", NOW, Map.of(),
                "{\"requestId\":\"r1\",\"compositeId\":\"c1\",\"code\":\"COMPOSITE_BOOKED\"}"));

        assertThat(check.violations()).isEmpty();
    }

    @Test
    void aDecisionOnAnotherDomainsTopicDoesNotAnswer() {
        LoggedRecord claim = record("claims.requests", "tenant-slug/acme", NOW - 1, Map.of(),
                "{\"type\":\"create-claim\",\"requestId\":\"r8\"}");
        check.accept(claim);
        check.accept(decision("r8"));

        assertThat(check.violations()).singleElement()
                .satisfies(violation -> assertThat(violation.positions()).containsExactly(claim.position()));
    }
}
