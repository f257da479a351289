package dev.tally.topology.usage;

import dev.tally.contract.KeyPartitioner;
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
import dev.tally.topology.engine.Remembered;
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
 * {@link UsageLedger}.
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
    private RequestMemory memory;
    private Outbox outbox;

    public UsageRequestProcessor(TopologySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.ledger = new UsageLedger(new StoreAccounts(context.getStateStore(Names.USAGE_ACCOUNTS_STORE)));
        this.memory = new RequestMemory(context.getStateStore(Names.USAGE_REQUEST_IDS_STORE),
                settings.idempotencyRetentionMs());
        this.outbox = new Outbox(context, Names.USAGE_DECISIONS_SINK, Names.USAGE_REROUTE_SINK);
        context.schedule(EXPIRY_INTERVAL, PunctuationType.STREAM_TIME,
                memory::sweep);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        UsageRequest request;
        try {
            request = REQUESTS.read(record.value());
        } catch (RequestCodec.UnreadableException e) {
            log.warn("unreadable usage request sent to the dead-letter topic: {} at {}", e.getMessage(),
                    Outbox.position(origin));
            outbox.deadLetter(record, origin, e.getMessage());
            return;
        }
        List<FieldError> errors = UsageValidation.validate(request);
        if (!errors.isEmpty() && !isKeyed(errors)) {
            // Without a valid workspace and requestId there is no task to own the id and nothing to
            // remember it by: any task answers, and a second copy gets a second answer.
            if (request.requestId() == null) {
                request = request.withRequestId(Outbox.position(origin));
            }
            UsageDecision invalid = UsageLedger.invalid(request, errors, record.timestamp());
            logRejection(invalid);
            send(record, request.workspace() != null ? request.workspace() : record.key(), invalid);
            return;
        }
        String entityKey = request.entityKey();
        if (!entityKey.equals(record.key())
                || origin.partition() != KeyPartitioner.partitionFor(entityKey, settings.requestPartitions())) {
            guardRouting(record, origin, entityKey);
            return;
        }
        decide(record, request, entityKey, errors);
    }

    /** Whether a request names a valid workspace and requestId, so that its workspace's task owns the id. */
    private static boolean isKeyed(List<FieldError> errors) {
        return errors.stream().noneMatch(e -> e.field().equals("workspace") || e.field().equals("requestId"));
    }

    /**
     * A record under the wrong key or in the wrong partition (another client's partitioner) is never
     * decided here, where another task may hold its entity's state: it goes to the right partition. A
     * record already re-routed once that is still misplaced means the partition count is not what this
     * engine was started with: it is kept in the dead-letter topic rather than bounced forever.
     */
    private void guardRouting(Record<String, byte[]> record, RecordMetadata origin, String entityKey) {
        if (record.headers().lastHeader(TallyHeaders.REROUTED_FROM) != null) {
            String reason = "still in the wrong partition after re-routing: the engine expects "
                    + settings.requestPartitions() + " partitions";
            log.error("{} at {}", reason, Outbox.position(origin));
            outbox.deadLetter(record, origin, reason);
            return;
        }
        log.debug("re-routing request of {} from {}", entityKey, Outbox.position(origin));
        outbox.reroute(record, entityKey, origin);
    }

    private void decide(Record<String, byte[]> record, UsageRequest request, String entityKey,
                        List<FieldError> errors) {
        long atMs = record.timestamp();
        String fingerprint = RequestMemory.fingerprint(request.withRequestId(null));
        Remembered earlier = memory.recall(entityKey, request.requestId(), atMs);
        if (earlier != null) {
            if (earlier.fingerprint().equals(fingerprint)) {
                // A retry: the first answer again, nothing applied twice, no second decision record.
                outbox.reply(record, TallyHeaders.KIND_DECISION, earlier.code(), earlier.decision());
            } else {
                UsageDecision reused = UsageLedger.requestIdReused(request, atMs);
                logRejection(reused);
                outbox.reply(record, TallyHeaders.KIND_DECISION, reused.code().name(), DECISIONS.write(reused));
            }
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
        byte[] bytes = send(record, entityKey, decision);
        memory.remember(entityKey, request.requestId(),
                new Remembered(fingerprint, atMs, decision.code().name(), bytes));
        logRejection(decision);
    }

    private byte[] send(Record<String, byte[]> record, String entityKey, UsageDecision decision) {
        byte[] bytes = DECISIONS.write(decision);
        String code = decision.code().name();
        outbox.decision(record, entityKey, code, bytes);
        outbox.reply(record, TallyHeaders.KIND_DECISION, code, bytes);
        return bytes;
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
