package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class GuardedScrapeTest {

    /** A function counter whose read throws, as a Kafka client metric might. */
    private static void registerUnreadable(PrometheusMeterRegistry registry) {
        FunctionCounter.builder("kafka.odd.metric", new Object(), ignored -> {
            throw new IllegalStateException("store closed");
        }).register(registry);
    }

    @Test
    void anUnreadableFunctionCounterFailsMicrometersOwnScrape() {
        // Why the guard is there: Micrometer lets a function counter's failure through the whole scrape
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("tally.decisions").register(registry).increment();
        registerUnreadable(registry);

        assertThatThrownBy(registry::scrape).hasMessage("store closed");
    }

    @Test
    void theGuardedScrapeDropsTheUnreadableMeterAndWritesTheRest() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("tally.decisions").register(registry).increment();
        registerUnreadable(registry);

        String page = GuardedScrape.of(registry);

        assertThat(page).contains("tally_decisions_total 1.0").doesNotContain("kafka_odd_metric");
        assertThat(registry.find("kafka.odd.metric").meter()).as("dropped").isNull();
        assertThat(GuardedScrape.of(registry)).isEqualTo(page);
    }
}
