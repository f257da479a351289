package dev.tally.topology.usage;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.ReservationStatus;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reservations, in plain Java: set an amount aside against the limit, then end it exactly once, by a
 * commit (charge the actual amount), a release (charge nothing) or its expiry (charge nothing, and an event
 * says so).
 *
 * <p>Time to live runs on the engine's clock ({@code clockMs}), like claim holds, so a producer's clock
 * cannot shorten or lengthen it; usage periods run on the record's time ({@code atMs}) like all usage.
 */
public final class ReservationDesk {

    private final UsageLedger ledger;
    private final AccountStore accounts;
    private final ReservationStore reservations;
    private final UsageAlerts alerts;
    private final long retentionMs;
    private final Consumer<UsageDecision> expiries;

    /**
     * {@code retentionMs}: how long an ended reservation is kept, to tell a late commit how it ended.
     * {@code expiries} receives the event of each reservation that runs out, when it is ended.
     */
    public ReservationDesk(UsageLedger ledger, AccountStore accounts, ReservationStore reservations,
                           UsageAlerts alerts, long retentionMs, Consumer<UsageDecision> expiries) {
        this.ledger = ledger;
        this.accounts = accounts;
        this.reservations = reservations;
        this.alerts = alerts;
        this.retentionMs = retentionMs;
        this.expiries = expiries;
    }

    public UsageDecision reserve(Reserve request, long atMs, long clockMs) {
        String id = request.requestId();
        if (reservations.get(request.workspace(), id) != null) {
            // The reservation id is the request id; the id memory forgot it, the reservation did not.
            return UsageLedger.requestIdReused(request, atMs);
        }
        long amount = request.amount();
        List<Scope> scopes = ledger.limitedScopes(request.workspace(), request.namespace(), request.feature(), atMs);
        UsageDecision refused = ledger.refuse(request, request.feature(), scopes, amount, atMs);
        if (refused != null) {
            return refused;
        }
        Scope binding = null;
        boolean onNamespace = false;
        boolean onWorkspace = false;
        for (Scope scope : scopes) {
            Scope after = scope.with(scope.account().withReserved(scope.account().reserved() + amount));
            accounts.put(after.key(), after.account());
            onNamespace |= after.key().isNamespace();
            onWorkspace |= !after.key().isNamespace();
            if (binding == null || after.headroom() < binding.headroom()) {
                binding = after;
            }
        }
        Reservation reservation = Reservation.live(request.namespace(), request.feature(), amount,
                Amounts.add(clockMs, request.ttlSeconds() * 1000), onNamespace, onWorkspace);
        reservations.put(request.workspace(), id, null, reservation);
        return UsageDecisions.on(request, DecisionCode.RESERVED, atMs)
                .message("reserved" + (binding.headroom() < 0 ? " over a soft limit" : ""))
                .scope(binding).overage(-binding.headroom()).reservation(reservation.view(id)).build();
    }

    public UsageDecision commit(CommitReservation request, long atMs, long clockMs) {
        Reservation reservation = liveOrEnded(request, request.reservationId(), clockMs);
        if (reservation == null || !reservation.isLive()) {
            return ended(request, request.reservationId(), reservation, atMs);
        }
        long amount = request.amount();
        List<Scope> scopes = scopesOf(request.workspace(), reservation, atMs);
        boolean limited = scopes.stream().anyMatch(s -> s.limit().isDefined());
        if (!limited && amount > reservation.amount()) {
            return UsageDecisions.on(request, DecisionCode.NO_LIMIT_DEFINED, atMs)
                    .message("no limit is defined for this feature: at most the " + reservation.amount()
                            + " reserved can be committed").reservation(reservation.view(request.reservationId()))
                    .build();
        }
        List<Scope> released = new ArrayList<>(scopes.size());
        for (Scope scope : scopes) {
            long held = holds(reservation, scope) ? reservation.amount() : 0;
            Scope without = scope.with(scope.account().withReserved(Math.max(0, scope.account().reserved() - held)));
            // What the reservation held was granted: only the amount beyond it must fit.
            long extra = amount - held;
            if (extra > 0 && without.limit().isDisabled()) {
                return UsageDecisions.on(request, DecisionCode.FEATURE_DISABLED, atMs)
                        .message("the feature is disabled in " + scope.key().scopeName() + ": at most the " + held
                                + " reserved can be committed; the reservation is still live")
                        .scope(scope).reservation(reservation.view(request.reservationId())).build();
            }
            if (extra > 0 && (!without.hasRoomInCounters(amount) || !without.fits(amount))) {
                return UsageDecisions.on(request, DecisionCode.QUOTA_EXCEEDED, atMs)
                        .message(amount + " does not fit: " + held + " reserved and " + without.remaining()
                                + " left in " + scope.key().scopeName() + "; the reservation is still live")
                        .scope(scope).reservation(reservation.view(request.reservationId())).build();
            }
            released.add(without);
        }
        Scope binding = null;
        for (Scope scope : released) {
            Scope after = scope.with(scope.account().charged(amount));
            after = after.with(alerts.after(after, request.requestId(), atMs));
            accounts.put(after.key(), after.account());
            if (binding == null || after.headroom() < binding.headroom()) {
                binding = after;
            }
        }
        Reservation committed = reservation.ended(ReservationStatus.COMMITTED, amount, clockMs, retentionMs);
        reservations.put(request.workspace(), request.reservationId(), reservation, committed);
        long returned = Math.max(0, reservation.amount() - amount);
        return UsageDecisions.on(request, DecisionCode.RESERVATION_COMMITTED, atMs)
                .message("committed " + amount + " of " + reservation.amount() + " reserved"
                        + (returned > 0 ? "; " + returned + " returned" : ""))
                .scope(binding).overage(binding == null ? 0 : -binding.headroom())
                .reservation(committed.view(request.reservationId())).build();
    }

    public UsageDecision release(ReleaseReservation request, long atMs, long clockMs) {
        Reservation reservation = liveOrEnded(request, request.reservationId(), clockMs);
        if (reservation == null || !reservation.isLive()) {
            return ended(request, request.reservationId(), reservation, atMs);
        }
        Scope binding = giveBack(request.workspace(), reservation, atMs);
        Reservation released = reservation.ended(ReservationStatus.RELEASED, 0, clockMs, retentionMs);
        reservations.put(request.workspace(), request.reservationId(), reservation, released);
        return UsageDecisions.on(request, DecisionCode.RESERVATION_RELEASED, atMs)
                .message("released; " + reservation.amount() + " returned")
                .scope(binding).reservation(released.view(request.reservationId())).build();
    }

    /**
     * Ends the reservations whose time ran out by {@code clockMs} (their amounts count no more; one event
     * each) and forgets ended ones past their retention. At most {@code max} at a time; cheap when none is due.
     */
    public void expireDue(long clockMs, int max) {
        if (reservations.earliestDueMs() > clockMs) {
            return;
        }
        for (ReservationStore.Due due : reservations.dueBy(clockMs, max)) {
            if (due.reservation().isLive()) {
                expire(due.workspace(), due.reservationId(), due.reservation(), clockMs);
            } else {
                reservations.delete(due.workspace(), due.reservationId(), due.reservation());
            }
        }
    }

    /**
     * Ends everything due by {@code clockMs}, {@code batch} at a time: before a request is decided, no
     * reservation past its time may still count, however many ran out at once.
     */
    public void expireAllDue(long clockMs, int batch) {
        while (reservations.earliestDueMs() <= clockMs) {
            expireDue(clockMs, batch);
        }
    }

    /** The reservation a commit or release addresses (null if none), ended first if its time ran out. */
    private Reservation liveOrEnded(UsageRequest request, String id, long clockMs) {
        Reservation reservation = reservations.get(request.workspace(), id);
        if (reservation != null && reservation.isLive() && reservation.expiresAtMs() <= clockMs) {
            return expire(request.workspace(), id, reservation, clockMs);
        }
        return reservation;
    }

    private UsageDecision ended(UsageRequest request, String id, Reservation reservation, long atMs) {
        if (reservation == null) {
            return UsageDecisions.on(request, DecisionCode.RESERVATION_NOT_FOUND, atMs)
                    .message("no reservation '" + id + "' (never made, or ended and forgotten)").build();
        }
        if (reservation.status() == ReservationStatus.EXPIRED) {
            return UsageDecisions.on(request, DecisionCode.RESERVATION_EXPIRED, atMs)
                    .message("reservation '" + id + "' expired before this request; its amount was returned")
                    .reservation(reservation.view(id)).build();
        }
        return UsageDecisions.on(request, DecisionCode.RESERVATION_ENDED, atMs)
                .message("reservation '" + id + "' was already " + reservation.status().name().toLowerCase())
                .reservation(reservation.view(id)).build();
    }

    private Reservation expire(String workspace, String id, Reservation reservation, long clockMs) {
        giveBack(workspace, reservation, clockMs);
        Reservation expired = reservation.ended(ReservationStatus.EXPIRED, 0, clockMs, retentionMs);
        reservations.put(workspace, id, reservation, expired);
        expiries.accept(UsageDecisions.event(UsageDecision.RESERVATION_EXPIRED_TYPE,
                        DecisionCode.RESERVATION_LAPSED, workspace, clockMs)
                .message("reservation '" + id + "' ran out uncommitted; " + reservation.amount() + " returned")
                .reservation(expired.view(id)).build());
        return expired;
    }

    /**
     * Takes the reservation's amount off the counters that hold it; returns the scope it binds in, as seen
     * at {@code atMs}. The stored accounts are not moved to {@code atMs}: an expiry runs on the engine's
     * clock, and periods run on record time, so moving them there could start a period early and wipe its
     * usage.
     */
    private Scope giveBack(String workspace, Reservation reservation, long atMs) {
        Scope binding = null;
        for (AccountKey key : heldOn(workspace, reservation)) {
            Account stored = accounts.get(key);
            if (stored == null) {
                continue;
            }
            Account after = stored.withReserved(Math.max(0, stored.reserved() - reservation.amount()));
            accounts.put(key, after);
            Scope seen = Scope.load(key, after, atMs);
            if (binding == null || seen.headroom() < binding.headroom()) {
                binding = seen;
            }
        }
        return binding;
    }

    private static List<AccountKey> heldOn(String workspace, Reservation reservation) {
        List<AccountKey> keys = new ArrayList<>(2);
        if (reservation.onNamespace()) {
            keys.add(new AccountKey(workspace, reservation.namespace(), reservation.feature()));
        }
        if (reservation.onWorkspace()) {
            keys.add(AccountKey.workspaceScope(workspace, reservation.feature()));
        }
        return keys;
    }

    /** The scopes a reservation touches: those holding its amount, and those limited now. */
    private List<Scope> scopesOf(String workspace, Reservation reservation, long atMs) {
        List<Scope> scopes = new ArrayList<>(2);
        if (reservation.namespace() != null) {
            addScope(scopes, new AccountKey(workspace, reservation.namespace(), reservation.feature()),
                    reservation.onNamespace(), atMs);
        }
        addScope(scopes, AccountKey.workspaceScope(workspace, reservation.feature()), reservation.onWorkspace(),
                atMs);
        return scopes;
    }

    private void addScope(List<Scope> scopes, AccountKey key, boolean holds, long atMs) {
        Account account = accounts.get(key);
        if (account == null) {
            return;
        }
        Scope scope = Scope.load(key, account, atMs);
        if (holds || scope.limit().isDefined()) {
            scopes.add(scope);
        }
    }

    private static boolean holds(Reservation reservation, Scope scope) {
        return scope.key().isNamespace() ? reservation.onNamespace() : reservation.onWorkspace();
    }
}
