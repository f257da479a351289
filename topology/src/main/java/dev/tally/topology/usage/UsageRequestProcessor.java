package dev.tally.topology.usage;

import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.CancelPackage;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.EntitlementsReport;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.ReadEntitlements;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageAlert;
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
 * routing, recall retries, ask the rules, remember, send. The rules live in {@link UsageLedger} (usage and
 * limits), {@link ReservationDesk} and {@link EntitlementDesk}; the steps around them in {@link RequestFlow}.
 * Alerts the rules raise go to the alerts topic in the same transaction as the decision that raised them.
 */
public final class UsageRequestProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(UsageRequestProcessor.class);
    private static final RequestCodec<UsageRequest> REQUESTS = RequestCodec.of(UsageRequest.class);
    private static final RequestCodec<UsageDecision> DECISIONS = RequestCodec.of(UsageDecision.class);
    private static final RequestCodec<UsageReport> REPORTS = RequestCodec.of(UsageReport.class);
    private static final RequestCodec<EntitlementsReport> ENTITLEMENTS = RequestCodec.of(EntitlementsReport.class);
    private static final RequestCodec<UsageAlert> ALERTS = RequestCodec.of(UsageAlert.class);
    /** Expiry of remembered ids runs on stream time, a bounded batch at a time. */
    private static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(1);
    /** Reservations that ran out are ended this often even when no request arrives. */
    private static final Duration RESERVATION_EXPIRY_INTERVAL = Duration.ofSeconds(1);
    /** Reservations ended per store walk; a punctuation does one walk, a request as many as are due. */
    private static final int RESERVATION_EXPIRIES_PER_STEP = 1_000;

    private final TopologySettings settings;
    private ProcessorContext<String, Object> context;
    private UsageLedger ledger;
    private ReservationDesk reservations;
    private EntitlementDesk entitlements;
    private Outbox outbox;
    private RequestFlow<UsageRequest> flow;

    public UsageRequestProcessor(TopologySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        StoreAccounts accounts = new StoreAccounts(context.getStateStore(Names.USAGE_ACCOUNTS_STORE));
        UsageAlerts alerts = new UsageAlerts(this::sendAlert);
        this.ledger = new UsageLedger(accounts, alerts);
        this.reservations = new ReservationDesk(ledger, accounts,
                new StoreReservations(context.getStateStore(Names.USAGE_RESERVATIONS_STORE),
                        context.getStateStore(Names.USAGE_RESERVATION_DUE_STORE)),
                alerts, settings.idempotencyRetentionMs(), this::sendExpiry);
        this.entitlements = new EntitlementDesk(accounts,
                new StoreEntitlements(context.getStateStore(Names.USAGE_ENTITLEMENTS_STORE)));
        this.outbox = new Outbox(context, "usage", Names.USAGE_DECISIONS_SINK, Names.USAGE_REROUTE_SINK,
                settings.meters());
        this.flow = new RequestFlow<>("usage", REQUESTS, outbox,
                new RequestMemory(context.getStateStore(Names.USAGE_REQUEST_IDS_STORE),
                        settings.idempotencyRetentionMs()),
                settings.requestPartitions());
        context.schedule(EXPIRY_INTERVAL, PunctuationType.STREAM_TIME, flow::sweep);
        context.schedule(RESERVATION_EXPIRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::expireReservations);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        flow.handle(record, origin, request -> handle(record, origin, request));
    }

    /** Decides one readable request; its requestId names every line logged meanwhile. */
    private void handle(Record<String, byte[]> record, RecordMetadata origin, UsageRequest request) {
        List<FieldError> errors = UsageValidation.validate(request);
        if (!errors.isEmpty() && !isKeyed(errors)) {
            if (request.requestId() == null) {
                request = request.withRequestId(Outbox.position(origin));
            }
            UsageDecision invalid = UsageLedger.invalid(request, errors, record.timestamp());
            logRejection(invalid);
            if (isRead(request)) {
                flow.refuseRead(record, invalid.code().name(), DECISIONS.write(invalid));
            } else {
                flow.send(record, request.workspace() != null ? request.workspace() : record.key(),
                        invalid.code().name(), DECISIONS.write(invalid));
            }
            return;
        }
        String entityKey = request.entityKey();
        if (flow.owns(record, origin, entityKey)) {
            // Reservations that ran out on the engine's clock end before anything is decided against them.
            reservations.expireAllDue(context.currentSystemTimeMs(), RESERVATION_EXPIRIES_PER_STEP);
            decide(record, request, entityKey, errors);
        }
    }

    /** Whether a request names a valid workspace and requestId, so that its workspace's task owns the id. */
    private static boolean isKeyed(List<FieldError> errors) {
        return errors.stream().noneMatch(e -> e.field().equals("workspace") || e.field().equals("requestId"));
    }

    private static boolean isRead(UsageRequest request) {
        return request instanceof ReadUsage || request instanceof ReadEntitlements;
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
        if (request instanceof ReadEntitlements read) {
            outbox.reply(record, TallyHeaders.KIND_REPORT, DecisionCode.OK.name(),
                    ENTITLEMENTS.write(entitlements.read(read, atMs)));
            return;
        }
        UsageDecision decision = errors.isEmpty()
                ? decideValid(request, atMs)
                // Remembered like any decision: a second copy of the request gets this answer, not a second one.
                : UsageLedger.invalid(request, errors, atMs);
        flow.decided(record, entityKey, request.requestId(), fingerprint, decision.code().name(),
                DECISIONS.write(decision));
        logRejection(decision);
    }

    private UsageDecision decideValid(UsageRequest request, long atMs) {
        long clockMs = context.currentSystemTimeMs();
        // Java 17: no pattern switch yet, so an instanceof chain over the sealed types.
        if (request instanceof RecordUsage usage) {
            return ledger.record(usage, atMs);
        } else if (request instanceof SetLimit limit) {
            return ledger.setLimit(limit, atMs);
        } else if (request instanceof Reserve reserve) {
            return reservations.reserve(reserve, atMs, clockMs);
        } else if (request instanceof CommitReservation commit) {
            return reservations.commit(commit, atMs, clockMs);
        } else if (request instanceof ReleaseReservation release) {
            return reservations.release(release, atMs, clockMs);
        } else if (request instanceof ProvisionPackage provision) {
            return entitlements.provision(provision, atMs);
        } else if (request instanceof CancelPackage cancel) {
            return entitlements.cancel(cancel, atMs);
        } else if (request instanceof AddBoost boost) {
            return entitlements.addBoost(boost, atMs);
        }
        throw new IllegalStateException("no rule decides " + request.getClass().getSimpleName());
    }

    private void expireReservations(long clockMs) {
        reservations.expireDue(clockMs, RESERVATION_EXPIRIES_PER_STEP);
    }

    private void sendExpiry(UsageDecision event) {
        outbox.event(event.workspace(), event.code().name(), DECISIONS.write(event),
                event.decidedAt().toEpochMilli());
    }

    private void sendAlert(UsageAlert alert) {
        context.forward(new Record<String, Object>(alert.workspace(), ALERTS.write(alert),
                alert.alertedAt().toEpochMilli()), Names.USAGE_ALERTS_SINK);
    }

    /** One structured line per rejection, for operators to count; nothing per acceptance. */
    private static void logRejection(UsageDecision decision) {
        if (decision.outcome() == Outcome.REJECTED) {
            log.atWarn().setMessage("usage request rejected")
                    .addKeyValue("code", decision.code())
                    .addKeyValue("type", decision.type())
                    .addKeyValue("requestId", decision.requestId())
                    .addKeyValue("workspace", decision.workspace())
                    .addKeyValue("namespace", decision.namespace())
                    .addKeyValue("feature", decision.feature())
                    .addKeyValue("amount", decision.amount())
                    .addKeyValue("used", decision.used())
                    .addKeyValue("reserved", decision.reserved())
                    .addKeyValue("limit", decision.limit())
                    .log();
        }
    }
}
