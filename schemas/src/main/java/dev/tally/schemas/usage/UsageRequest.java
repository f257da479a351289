package dev.tally.schemas.usage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tally.schemas.Request;

/**
 * A request of the usage domain, read from and written to the usage requests topic as JSON with a
 * {@code type} field. Keyed by workspace: a namespace belongs to its workspace, so one step can check and
 * charge both.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RecordUsage.class, name = RecordUsage.TYPE),
        @JsonSubTypes.Type(value = SetLimit.class, name = SetLimit.TYPE),
        @JsonSubTypes.Type(value = ReadUsage.class, name = ReadUsage.TYPE),
        @JsonSubTypes.Type(value = Reserve.class, name = Reserve.TYPE),
        @JsonSubTypes.Type(value = CommitReservation.class, name = CommitReservation.TYPE),
        @JsonSubTypes.Type(value = ReleaseReservation.class, name = ReleaseReservation.TYPE),
        @JsonSubTypes.Type(value = ProvisionPackage.class, name = ProvisionPackage.TYPE),
        @JsonSubTypes.Type(value = CancelPackage.class, name = CancelPackage.TYPE),
        @JsonSubTypes.Type(value = AddBoost.class, name = AddBoost.TYPE),
        @JsonSubTypes.Type(value = ReadEntitlements.class, name = ReadEntitlements.TYPE)
})
public sealed interface UsageRequest extends Request permits RecordUsage, SetLimit, ReadUsage, Reserve,
        CommitReservation, ReleaseReservation, ProvisionPackage, CancelPackage, AddBoost, ReadEntitlements {

    String workspace();

    @Override
    @JsonIgnore
    default String entityKey() {
        return workspace();
    }

    /** The same request under another id: retries compare bodies without their ids. */
    UsageRequest withRequestId(String requestId);
}
