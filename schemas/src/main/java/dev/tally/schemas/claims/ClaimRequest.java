package dev.tally.schemas.claims;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tally.schemas.Request;

/**
 * A request of the claims domain, read from and written to the claims requests topic as JSON with a
 * {@code type} field. Keyed by {@code scope/value} with the value in its scope's canonical spelling, so
 * every spelling of one value is decided by one task.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CreateClaim.class, name = CreateClaim.TYPE),
        @JsonSubTypes.Type(value = GetOrCreateClaim.class, name = GetOrCreateClaim.TYPE),
        @JsonSubTypes.Type(value = ConfirmClaim.class, name = ConfirmClaim.TYPE),
        @JsonSubTypes.Type(value = ReleaseClaim.class, name = ReleaseClaim.TYPE),
        @JsonSubTypes.Type(value = ReadClaim.class, name = ReadClaim.TYPE)
})
public sealed interface ClaimRequest extends Request
        permits CreateClaim, GetOrCreateClaim, ConfirmClaim, ReleaseClaim, ReadClaim {

    String scope();

    /** As sent; the engine keys and decides its normalised spelling. */
    String value();

    /**
     * {@code scope/value}. Right only once the value is normalised (the gateway sends it so); a record
     * keyed by another spelling is re-routed by the engine to its canonical key's partition.
     */
    @Override
    @JsonIgnore
    default String entityKey() {
        return ClaimKeys.of(scope(), value());
    }

    /** The same request under another id: retries compare bodies without their ids. */
    ClaimRequest withRequestId(String requestId);

    /** The same request for another spelling of the value. */
    ClaimRequest withValue(String value);
}
