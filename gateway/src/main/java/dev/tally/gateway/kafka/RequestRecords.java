package dev.tally.gateway.kafka;

import dev.tally.contract.TopicNames;
import dev.tally.schemas.Request;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.bookings.BookingRequest;
import dev.tally.schemas.bookings.CompositeRequest;
import dev.tally.schemas.claims.ClaimRequest;
import dev.tally.schemas.usage.UsageRequest;

/** Which request topic a request belongs on, and its JSON there: each domain has its own topic. */
final class RequestRecords {

    private static final RequestCodec<UsageRequest> USAGE = RequestCodec.of(UsageRequest.class);
    private static final RequestCodec<ClaimRequest> CLAIMS = RequestCodec.of(ClaimRequest.class);
    private static final RequestCodec<BookingRequest> BOOKINGS = RequestCodec.of(BookingRequest.class);
    private static final RequestCodec<CompositeRequest> COMPOSITES = RequestCodec.of(CompositeRequest.class);

    private final TopicNames topics;

    RequestRecords(TopicNames topics) {
        this.topics = topics;
    }

    String topicOf(Request request) {
        if (request instanceof UsageRequest) {
            return topics.usageRequests();
        } else if (request instanceof ClaimRequest) {
            return topics.claimRequests();
        } else if (request instanceof BookingRequest) {
            return topics.bookingRequests();
        } else if (request instanceof CompositeRequest) {
            return topics.compositeRequests();
        }
        throw new IllegalArgumentException("no request topic for " + request.getClass().getSimpleName());
    }

    byte[] valueOf(Request request) {
        if (request instanceof UsageRequest usage) {
            return USAGE.write(usage);
        } else if (request instanceof ClaimRequest claim) {
            return CLAIMS.write(claim);
        } else if (request instanceof BookingRequest booking) {
            return BOOKINGS.write(booking);
        } else if (request instanceof CompositeRequest composite) {
            return COMPOSITES.write(composite);
        }
        throw new IllegalArgumentException("no request codec for " + request.getClass().getSimpleName());
    }
}
