package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.launcher.examples.AlertsConsumer;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.usage.UsageAlert;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Threshold alerts against a real broker: usage recorded over HTTP, many callers at once, crosses 80, 90
 * and 100 % of a limit; the README's example consumer, reading committed records only, hears of each
 * threshold exactly once, each naming a request whose usage was accepted.
 */
class UsageAlertsIT extends RunningStack {

    @Override
    protected String name() {
        return "alerts";
    }

    @Test
    void concurrentUsageAlertsEachThresholdOnceAndTheConsumerHearsEachOnce() {
        // Given a workspace with a hard limit of 100 (LIFETIME: a month that ends mid-test would reset the count)
        String ws = "ws-" + TestNames.random(8);
        Response limit = http.put("/v1/workspaces/" + ws + "/limits/ai.tokens",
                "{\"limit\":100,\"period\":\"LIFETIME\"}");
        assertThat(limit.status()).as(limit.raw()).isEqualTo(200);

        // When 120 callers record 1 each at once: 100 are accepted, and usage passes every threshold
        List<CompletableFuture<Response>> calls = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 120; i++) {
            calls.add(http.postAsync("/v1/workspaces/" + ws + "/usage",
                    "{\"feature\":\"ai.tokens\",\"amount\":1,\"requestId\":\"use-" + i + "\"}"));
        }
        List<Response> answers = calls.stream().map(CompletableFuture::join).toList();
        assertThat(answers.stream().filter(r -> r.status() == 200).count()).isEqualTo(100);
        assertThat(answers.stream().filter(r -> r.status() == 409).count()).isEqualTo(20);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        answers.stream().filter(r -> r.status() == 200).forEach(r -> accepted.add(r.text("requestId")));

        // Then the example consumer hears of 80, 90 and 100 %, each once, each from an accepted request
        List<UsageAlert> heard = new CopyOnWriteArrayList<>();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        try (AlertsConsumer consumer = new AlertsConsumer(kafka.bootstrapServers(), topics.usageAlerts(),
                "notifier-" + ws, handled, alert -> {
                    if (alert.workspace().equals(ws)) {
                        heard.add(alert);
                    }
                })) {
            long deadlineNs = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (heard.size() < 3 && System.nanoTime() < deadlineNs) {
                consumer.pollOnce(Duration.ofMillis(200));
            }
            // A little longer: a fourth alert for this workspace would be a duplicate
            consumer.pollOnce(Duration.ofSeconds(2));
            // The engine wrote each alert once: the consumer's own dedupe had nothing to do
            assertThat(consumer.duplicatesSkipped()).isZero();
        }
        assertThat(heard).extracting(UsageAlert::threshold).containsExactly(80, 90, 100);
        assertThat(heard).extracting(UsageAlert::used).containsExactly(80L, 90L, 100L);
        assertThat(heard).allSatisfy(alert -> {
            assertThat(alert.limit()).isEqualTo(100);
            assertThat(accepted).contains(alert.requestId());
        });
    }
}
