package dev.tally.gateway.http;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus page, written whole even when one meter cannot be read. Micrometer's gauges already turn a
 * failing read into NaN, but a function counter's read is not guarded: one Kafka client or Kafka Streams
 * metric that throws would fail every scrape and blind every dashboard at once. A meter whose read throws
 * is removed from the registry with one warning, and the page is written again without it.
 */
final class GuardedScrape {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedScrape.class);
    /** Rounds of removing unreadable meters before the failure is let through: it is not a meter's, then. */
    private static final int ROUNDS = 3;

    private GuardedScrape() {
    }

    static String of(PrometheusMeterRegistry registry) {
        for (int round = 0; ; round++) {
            try {
                return registry.scrape();
            } catch (RuntimeException e) {
                List<Meter> unreadable = unreadable(registry);
                if (unreadable.isEmpty() || round == ROUNDS) {
                    throw e;
                }
                for (Meter meter : unreadable) {
                    LOG.atWarn().addKeyValue("meter", meter.getId().getName()).addKeyValue("tags", meter.getId().getTags())
                            .setCause(e).log("a meter that cannot be read is dropped from /metrics");
                    registry.remove(meter);
                }
            }
        }
    }

    /** The meters whose values throw when read, as the scrape reads them. */
    private static List<Meter> unreadable(PrometheusMeterRegistry registry) {
        List<Meter> unreadable = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            try {
                for (Measurement measurement : meter.measure()) {
                    measurement.getValue();
                }
            } catch (RuntimeException e) {
                unreadable.add(meter);
            }
        }
        return unreadable;
    }
}
