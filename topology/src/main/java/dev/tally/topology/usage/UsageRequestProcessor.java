package dev.tally.topology.usage;

import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageReport;
import dev.tally.schemas.usage.UsageRequest;
import dev.tally.schemas.usage.UsageValidation;
import dev.tally.topology.Names;
import dev.tally.topology.TopologySettings;
import dev.tally.topology.engine.Outbox;
import dev.tally.topology.engine.RequestFlow;
import dev.tally.topology.engine.RequestMemory;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the usage requests of the workspaces in its partition, one after another: read, guard the
 * routing, recall retries, ask the ledger, remember, send. The rules themselves live in
 * {@link UsageLedger}; the steps around them in {@link RequestFlow}.
 */
public final class UsageRequestProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(UsageRequestProcessor.class);
    private static final RequestCodec<UsageRequest> REQUESTS = RequestCodec.of(UsageRequest.class);
    private static final RequestCodec<UsageDecision> DECISIONS = RequestCodec.of(UsageDecision.class);
    private static final RequestCodec<UsageReport> REPORTS = RequestCodec.of(UsageReport.class);
    /** Expiry of remembered ids runs on stream time, a bounded batch at a time. */
    private static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(1);

    private final TopologySettings settings;
    private ProcessorContext<String, Object> context;
    private UsageLedger ledger;
    private Outbox outbox;
    private RequestFlow<UsageRequest> flow;

    public UsageRequestProcessor(TopologySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.ledger = new UsageLedger(new StoreAccounts(context.getStateStore(Names.USAGE_ACCOUNTS_STORE)));
        this.outbox = new Outbox(context, Names.USAGE_DECISIONS_SINK, Names.USAGE_REROUTE_SINK);
        this.flow = new RequestFlow<>("usage", REQUESTS, outbox,
                new RequestMemory(context.getStateStore(Names.USAGE_REQUEST_IDS_STORE),
                        settings.idempotencyRetentionMs()),
                settings.requestPartitions());
        this.context = context;
        context.schedule(EXPIRY_INTERVAL, PunctuationType.STREAM_TIME, flow::sweep);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        UsageRequest request = flow.read(record, origin);
        if (request == null) {
            return;
        }
        List<FieldError> errors = UsageValidation.validate(request);
        if (!errors.isEmpty() && !isKeyed(errors)) {
            if (request.requestId() == null) {
                request = request.withRequestId(Outbox.position(origin));
            }
            UsageDecision invalid = UsageLedger.invalid(request, errors, record.timestamp());
            logRejection(invalid);
            if (request instanceof ReadUsage) {
                flow.refuseRead(record, invalid.code().name(), DECISIONS.write(invalid));
            } else {
                flow.send(record, request.workspace() != null ? request.workspace() : record.key(),
                        invalid.code().name(), DECISIONS.write(invalid));
            }
            return;
        }
        String entityKey = request.entityKey();
        if (flow.owns(record, origin, entityKey)) {
            decide(record, request, entityKey, errors);
        }
    }

    /** Whether a request names a valid workspace and requestId, so that its workspace's task owns the id. */
    private static boolean isKeyed(List<FieldError> errors) {
        return errors.stream().noneMatch(e -> e.field().equals("workspace") || e.field().equals("requestId"));
    }

    private void decide(Record<String, byte[]> record, UsageRequest request, String entityKey,
                        List<FieldError> errors) {
        long atMs = record.timestamp();
        String fingerprint = RequestMemory.fingerprint(request.withRequestId(null));
        UsageRequest asked = request;
        if (flow.answeredBefore(record, entityKey, request.requestId(), fingerprint, () -> {
            UsageDecision reused = UsageLedger.requestIdReused(asked, atMs);
            logRejection(reused);
            return DECISIONS.write(reused);
        })) {
            return;
        }
        if (request instanceof ReadUsage read) {
            outbox.reply(record, TallyHeaders.KIND_REPORT, DecisionCode.OK.name(),
                    REPORTS.write(ledger.read(read, atMs)));
            return;
        }
        UsageDecision decision;
        if (!errors.isEmpty()) {
            // Remembered like any decision: a second copy of the request gets this answer, not a second one.
            decision = UsageLedger.invalid(request, errors, atMs);
        } else if (request instanceof RecordUsage usage) {
            decision = ledger.record(usage, atMs);
        } else {
            decision = ledger.setLimit((SetLimit) request, atMs);
        }
        flow.decided(record, entityKey, request.requestId(), fingerprint, decision.code().name(),
                DECISIONS.write(decision));
        logRejection(decision);
    }

    /** One structured line per rejection, for operators to count; nothing per acceptance. */
    private static void logRejection(UsageDecision decision) {
        if (decision.outcome() == dev.tally.schemas.Outcome.REJECTED) {
            log.atInfo().setMessage("usage request rejected")
                    .addKeyValue("code", decision.code())
                    .addKeyValue("requestId", decision.requestId())
                    .addKeyValue("workspace", decision.workspace())
                    .addKeyValue("namespace", decision.namespace())
                    .addKeyValue("feature", decision.feature())
                    .addKeyValue("amount", decision.amount())
                    .addKeyValue("used", decision.used())
                    .addKeyValue("limit", decision.limit())
                    .log();
        }
    }
}
