package dev.tally.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.gateway.Reply;
import dev.tally.gateway.SendFailure;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PendingRepliesTest {

    private static final long LONG_MS = 60_000;
    private static final Reply REPLY = new Reply("OK", "decision", "{}".getBytes(StandardCharsets.UTF_8));

    @Test
    void aReplyCompletesItsCallAndLeavesTheRegistry() throws Exception {
        PendingReplies pending = new PendingReplies(10, LONG_MS);
        CompletableFuture<Reply> call = pending.register("c-1");

        boolean delivered = pending.complete("c-1", REPLY);

        assertThat(delivered).isTrue();
        assertThat(call.get(5, TimeUnit.SECONDS)).isSameAs(REPLY);
        assertThat(pending.size()).isZero();
    }

    @Test
    void pastTheBoundRegisteringIsRefusedUntilACallEnds() throws Exception {
        PendingReplies pending = new PendingReplies(2, LONG_MS);
        pending.register("c-1");
        pending.register("c-2");

        assertThatThrownBy(() -> pending.register("c-3"))
                .isInstanceOfSatisfying(SendFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(SendFailure.Kind.OVERLOADED));
        assertThat(pending.size()).isEqualTo(2);

        pending.complete("c-1", REPLY);

        assertThat(pending.register("c-3")).isNotDone();
        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void aCallWithoutReplyTimesOutAndIsRemoved() {
        PendingReplies pending = new PendingReplies(10, 50);

        CompletableFuture<Reply> call = pending.register("c-1");

        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(SendFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(SendFailure.Kind.DECISION_TIMEOUT));
        assertThat(pending.size()).isZero();
    }

    @Test
    void aReplyAfterTheTimeoutIsDropped() {
        PendingReplies pending = new PendingReplies(10, 50);
        CompletableFuture<Reply> call = pending.register("c-1");
        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        boolean delivered = pending.complete("c-1", REPLY);

        assertThat(delivered).isFalse();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aReplyNobodyWaitsForIsDropped() {
        PendingReplies pending = new PendingReplies(10, LONG_MS);

        assertThat(pending.complete("someone-else", REPLY)).isFalse();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aFailedSendEndsTheCallAndFreesItsPlace() {
        PendingReplies pending = new PendingReplies(1, LONG_MS);
        CompletableFuture<Reply> call = pending.register("c-1");

        pending.fail("c-1", new SendFailure(SendFailure.Kind.UNAVAILABLE, "broker gone"));

        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(SendFailure.class,
                failure -> assertThat(failure.kind()).isEqualTo(SendFailure.Kind.UNAVAILABLE));
        assertThat(pending.size()).isZero();
        assertThat(pending.register("c-2")).isNotDone();
    }

    @Test
    void shutdownEndsEveryCall() {
        PendingReplies pending = new PendingReplies(10, LONG_MS);
        CompletableFuture<Reply> first = pending.register("c-1");
        CompletableFuture<Reply> second = pending.register("c-2");

        pending.failAll(new SendFailure(SendFailure.Kind.UNAVAILABLE, "stopping"));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aCorrelationIdWaitsOnce() {
        PendingReplies pending = new PendingReplies(10, LONG_MS);
        pending.register("c-1");

        assertThatThrownBy(() -> pending.register("c-1")).isInstanceOf(IllegalStateException.class);
        assertThat(pending.size()).isEqualTo(1);
    }
}
