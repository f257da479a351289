package dev.tally.topology.composites;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.BookingRequest;
import dev.tally.schemas.bookings.ConfirmSegment;
import dev.tally.schemas.bookings.HoldSegment;
import dev.tally.schemas.bookings.ReleaseSegment;
import dev.tally.schemas.bookings.Segment;
import dev.tally.schemas.bookings.SegmentResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rules of a composite booking, in plain Java: its states and the commands each step sends.
 *
 * <p>The protocol: hold every segment at once (each resource task answers yes or no without waiting);
 * when every answer is yes, confirm them all; at the first no, or when the deadline passes, release every
 * segment. Resource tasks never end a hold by themselves, so a confirm sent in the same transaction as
 * the accepting decision always applies, and a release sent after a hold command reaches the same
 * partition after it.
 */
public final class CompositeCoordinator {

    public enum Status { PENDING, BOOKED, REFUSED, TIMED_OUT }

    /** A composite as its coordinator keeps it. {@code answers[i]} is segment i's code, null until it answers. */
    public record State(BookComposite request, String[] answers, Status status, long deadlineMs) {

        State with(int index, String code) {
            String[] next = Arrays.copyOf(answers, answers.length);
            next[index] = code;
            return new State(request, next, status, deadlineMs);
        }

        State decided(Status outcome) {
            return new State(request, answers, outcome, deadlineMs);
        }
    }

    /** What a step changes: the new state, the commands for resource tasks, and whether it decided. */
    public record Step(State state, List<BookingRequest> commands, boolean decided) {
    }

    private CompositeCoordinator() {
    }

    public static Step start(BookComposite request, long clockMs, long timeoutMs) {
        List<BookingRequest> holds = new ArrayList<>();
        List<Segment> segments = request.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            holds.add(new HoldSegment(commandId(request, i, "hold"), s.resource(), request.compositeId(), i, s.from(),
                    s.to(), s.quantity(), request.userId()));
        }
        return new Step(new State(request, new String[segments.size()], Status.PENDING, clockMs + timeoutMs), holds,
                false);
    }

    /** A resource task answered: refuse at the first no, confirm all at the last yes. */
    public static Step answer(State state, SegmentResult result) {
        Integer index = result.index();
        if (index == null || index < 0 || index >= state.answers().length) {
            // Not an answer to any hold this composite sent: one published straight to Kafka. Ignored; it
            // must not fail the task, which would fail again on the same record and stall the partition.
            return new Step(state, List.of(), false);
        }
        if (state.status() != Status.PENDING || state.answers()[index] != null) {
            return new Step(state, List.of(), false); // decided already, or an answer seen before
        }
        State next = state.with(index, result.code());
        if (!DecisionCode.SEGMENT_HELD.name().equals(result.code())) {
            return new Step(next.decided(Status.REFUSED), releases(next), true);
        }
        if (Arrays.stream(next.answers()).allMatch(DecisionCode.SEGMENT_HELD.name()::equals)) {
            List<BookingRequest> confirms = new ArrayList<>();
            for (int i = 0; i < next.answers().length; i++) {
                confirms.add(new ConfirmSegment(commandId(next.request(), i, "confirm"),
                        next.request().segments().get(i).resource(), next.request().compositeId(), i));
            }
            return new Step(next.decided(Status.BOOKED), confirms, true);
        }
        return new Step(next, List.of(), false);
    }

    /** The deadline passed with answers missing: release every segment (a release of nothing is harmless). */
    public static Step timeOut(State state, long clockMs) {
        if (state.status() != Status.PENDING || clockMs < state.deadlineMs()) {
            return new Step(state, List.of(), false);
        }
        return new Step(state.decided(Status.TIMED_OUT), releases(state), true);
    }

    /** Every segment is released, held or not: one may be held by a hold command still on its way. */
    private static List<BookingRequest> releases(State state) {
        List<BookingRequest> releases = new ArrayList<>();
        for (int i = 0; i < state.answers().length; i++) {
            releases.add(new ReleaseSegment(commandId(state.request(), i, "release"),
                    state.request().segments().get(i).resource(), state.request().compositeId(), i));
        }
        return releases;
    }

    private static String commandId(BookComposite request, int index, String what) {
        return "composite:" + request.compositeId() + ":" + index + ":" + what;
    }
}
