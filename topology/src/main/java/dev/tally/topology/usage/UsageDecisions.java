package dev.tally.topology.usage;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.BoostView;
import dev.tally.schemas.usage.CancelPackage;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.PackageView;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.ReadEntitlements;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.ReservationView;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageRequest;
import java.time.Instant;
import java.util.List;

/** Assembles usage decisions; fields that do not apply stay null and out of the JSON. */
final class UsageDecisions {

    private final String requestId;
    private final String type;
    private final DecisionCode code;
    private final long atMs;
    private final String workspace;
    private String namespace;
    private String feature;
    private Long amount;
    private Boolean dryRun;
    private String message;
    private Scope scope;
    private Long overage;
    private ReservationView reservation;
    private PackageView provisioned;
    private String replacedPackage;
    private BoostView boost;
    private List<FieldError> errors;

    private UsageDecisions(String requestId, String type, DecisionCode code, long atMs, String workspace) {
        this.requestId = requestId;
        this.type = type;
        this.code = code;
        this.atMs = atMs;
        this.workspace = workspace;
    }

    /** A decision on {@code request}, with the fields the request itself names. */
    static UsageDecisions on(UsageRequest request, DecisionCode code, long atMs) {
        UsageDecisions d = new UsageDecisions(request.requestId(), typeOf(request), code, atMs, request.workspace());
        if (request instanceof RecordUsage r) {
            d.namespace = r.namespace();
            d.feature = r.feature();
            d.amount = r.amount();
            d.dryRun = r.isDryRun() ? Boolean.TRUE : null;
        } else if (request instanceof SetLimit s) {
            d.namespace = s.namespace();
            d.feature = s.feature();
        } else if (request instanceof Reserve r) {
            d.namespace = r.namespace();
            d.feature = r.feature();
            d.amount = r.amount();
        } else if (request instanceof CommitReservation c) {
            d.amount = c.amount();
        } else if (request instanceof ProvisionPackage p) {
            d.namespace = p.namespace();
        } else if (request instanceof CancelPackage c) {
            d.namespace = c.namespace();
        } else if (request instanceof AddBoost b) {
            d.namespace = b.namespace();
            d.feature = b.feature();
            d.amount = b.amount();
        }
        return d;
    }

    /** An event that answers no request, such as a reservation running out. */
    static UsageDecisions event(String type, DecisionCode code, String workspace, long atMs) {
        return new UsageDecisions(null, type, code, atMs, workspace);
    }

    static String typeOf(UsageRequest request) {
        // Java 17: no pattern switch yet, so an instanceof chain over the sealed types.
        if (request instanceof RecordUsage) {
            return RecordUsage.TYPE;
        } else if (request instanceof SetLimit) {
            return SetLimit.TYPE;
        } else if (request instanceof ReadUsage) {
            return ReadUsage.TYPE;
        } else if (request instanceof Reserve) {
            return Reserve.TYPE;
        } else if (request instanceof CommitReservation) {
            return CommitReservation.TYPE;
        } else if (request instanceof ReleaseReservation) {
            return ReleaseReservation.TYPE;
        } else if (request instanceof ProvisionPackage) {
            return ProvisionPackage.TYPE;
        } else if (request instanceof CancelPackage) {
            return CancelPackage.TYPE;
        } else if (request instanceof AddBoost) {
            return AddBoost.TYPE;
        }
        return ReadEntitlements.TYPE;
    }

    UsageDecisions message(String value) {
        this.message = value;
        return this;
    }

    /** The figures of {@code value}'s scope: used, reserved, limit, remaining, period. */
    UsageDecisions scope(Scope value) {
        this.scope = value;
        return this;
    }

    UsageDecisions overage(long value) {
        this.overage = value > 0 ? value : null;
        return this;
    }

    /** The reservation's view; a commit or release also takes its namespace and feature from it. */
    UsageDecisions reservation(ReservationView value) {
        this.reservation = value;
        if (namespace == null) {
            namespace = value.namespace();
        }
        if (feature == null) {
            feature = value.feature();
        }
        return this;
    }

    UsageDecisions provisioned(PackageView value, String replaced) {
        this.provisioned = value;
        this.replacedPackage = replaced;
        return this;
    }

    UsageDecisions boost(BoostView value) {
        this.boost = value;
        return this;
    }

    UsageDecisions errors(List<FieldError> value) {
        this.errors = value;
        return this;
    }

    UsageDecision build() {
        Account account = scope == null ? null : scope.account();
        EffectiveLimit limit = scope == null ? null : scope.limit();
        PeriodWindow window = account == null ? null : account.window();
        boolean metered = limit != null && limit.isMetered();
        return new UsageDecision(
                requestId, type, code.outcome(), code, message,
                workspace, namespace, feature, amount, dryRun,
                scope == null ? null : scope.key().scopeName(),
                account == null ? null : account.used(),
                account == null ? null : account.reserved(),
                metered ? limit.limit() : null,
                scope == null ? null : scope.remaining(),
                overage,
                limit == null ? null : limit.kind(),
                account == null ? null : account.countedPeriod(),
                metered ? limit.enforcement() : null,
                window == null ? null : window.start(),
                window == null ? null : window.end(),
                reservation, provisioned, replacedPackage, boost,
                errors,
                Instant.ofEpochMilli(atMs));
    }
}
