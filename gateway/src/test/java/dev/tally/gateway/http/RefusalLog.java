package dev.tally.gateway.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** The gateway's "call refused" warnings logged while it is open, each as its structured fields. */
final class RefusalLog implements AutoCloseable {

    private static final String REFUSED = "call refused by the gateway";

    private final Logger logger = (Logger) LoggerFactory.getLogger(ErrorResponses.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    RefusalLog() {
        lines.start();
        logger.addAppender(lines);
    }

    /** Every refusal so far, oldest first, as logged: its thread and MDC too. */
    List<ILoggingEvent> events() {
        // The appender appends under its own lock, on the server's threads: read under it too.
        synchronized (lines) {
            return lines.list.stream().filter(e -> e.getFormattedMessage().equals(REFUSED)).toList();
        }
    }

    /** Every refusal so far, oldest first. */
    List<Map<String, Object>> refusals() {
        return events().stream().map(RefusalLog::fields).toList();
    }

    /** The refusals that hid an entity out of the caller's reach. */
    List<Map<String, Object>> outOfReach() {
        return refusals().stream().filter(fields -> fields.containsKey("entityId")).toList();
    }

    void clear() {
        synchronized (lines) {
            lines.list.clear();
        }
    }

    private static Map<String, Object> fields(ILoggingEvent event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            pairs.forEach(pair -> fields.put(pair.key, pair.value));
        }
        fields.put("level", event.getLevel().toString());
        return fields;
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
    }
}
