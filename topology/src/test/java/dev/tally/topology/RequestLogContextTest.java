package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tally.contract.RequestLogContext;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The engine's log lines about a request carry its requestId in the MDC, and nothing else inherits it. */
class RequestLogContextTest {

    private static final Instant T0 = Instant.parse("2026-10-18T10:00:00Z");

    @TempDir
    Path stateDir;

    private UsageHarness tally;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger engineLogs = (Logger) LoggerFactory.getLogger("dev.tally");

    @BeforeEach
    void start() {
        tally = new UsageHarness(stateDir);
        lines.start();
        engineLogs.addAppender(lines);
    }

    @AfterEach
    void stop() {
        engineLogs.detachAppender(lines);
        tally.close();
    }

    private ILoggingEvent line(String message) {
        return lines.list.stream().filter(e -> e.getFormattedMessage().startsWith(message)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + message + "' in " + lines.list));
    }

    @Test
    void aRejectionNamesItsRequestAndAnUnreadableRecordAfterItDoesNot() {
        tally.decide(new SetLimit("l1", "acme", null, "ai.tokens", 1L, Period.MONTH, Enforcement.HARD), T0);
        assertThat(tally.decide(new RecordUsage("u-over", "acme", null, "ai.tokens", 5L, null), T0).code())
                .isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        tally.requests.pipeInput(new TestRecord<>("acme", "not json".getBytes(StandardCharsets.UTF_8), T0));

        ILoggingEvent rejected = line("usage request rejected");
        assertThat(rejected.getLevel()).isEqualTo(Level.WARN);
        assertThat(rejected.getMDCPropertyMap()).containsEntry(RequestLogContext.REQUEST_ID, "u-over");
        ILoggingEvent unreadable = line("unreadable usage request");
        assertThat(unreadable.getMDCPropertyMap()).doesNotContainKey(RequestLogContext.REQUEST_ID);
        // The stream thread (here the test's own) is left without a request once the record is handled
        assertThat(MDC.get(RequestLogContext.REQUEST_ID)).isNull();
    }

    @Test
    void aScopePutsBackWhatWasThereBefore() {
        try (RequestLogContext.Scope outer = RequestLogContext.of("outer")) {
            try (RequestLogContext.Scope inner = RequestLogContext.of("inner")) {
                assertThat(MDC.get(RequestLogContext.REQUEST_ID)).isEqualTo("inner");
            }
            assertThat(MDC.get(RequestLogContext.REQUEST_ID)).isEqualTo("outer");
            try (RequestLogContext.Scope none = RequestLogContext.of(null)) {
                assertThat(MDC.get(RequestLogContext.REQUEST_ID)).isNull();
            }
        }
        assertThat(MDC.get(RequestLogContext.REQUEST_ID)).isNull();
    }
}
