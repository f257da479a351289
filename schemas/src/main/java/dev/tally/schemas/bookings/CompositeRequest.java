package dev.tally.schemas.bookings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tally.schemas.Request;

/**
 * What a composite's coordinator reads, keyed by compositeId: the booking request itself, and the answers
 * of the resource tasks that hold its segments. One task owns a composite, so its answers are counted one
 * at a time.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BookComposite.class, name = BookComposite.TYPE),
        @JsonSubTypes.Type(value = SegmentResult.class, name = SegmentResult.TYPE)
})
public sealed interface CompositeRequest extends Request permits BookComposite, SegmentResult {

    String compositeId();

    @Override
    @JsonIgnore
    default String entityKey() {
        return compositeId();
    }
}
