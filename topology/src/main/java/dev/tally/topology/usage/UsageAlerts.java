package dev.tally.topology.usage;

import dev.tally.schemas.usage.UsageAlert;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Threshold alerts: when a scope's usage reaches 80, 90 or 100 percent of its metered limit, one alert per
 * threshold per period. The account remembers which were sent ({@code alertsSent}, reset with each new
 * period), so the same threshold never alerts twice in a period, even if a boost raises the limit and
 * usage crosses it again. Only recorded usage alerts: reservations and dry runs do not.
 */
final class UsageAlerts {

    static final int[] THRESHOLDS = {80, 90, 100};

    private final Consumer<UsageAlert> sink;

    UsageAlerts(Consumer<UsageAlert> sink) {
        this.sink = sink;
    }

    /** Sends the alerts {@code scope}'s usage now calls for, and returns its account marked with them. */
    Account after(Scope scope, String requestId, long atMs) {
        Account account = scope.account();
        EffectiveLimit limit = scope.limit();
        if (!limit.isMetered() || limit.limit() <= 0) {
            return account;
        }
        int sent = account.alertsSent();
        for (int i = 0; i < THRESHOLDS.length; i++) {
            int bit = 1 << i;
            if ((sent & bit) == 0 && account.used() >= Amounts.percentOf(limit.limit(), THRESHOLDS[i])) {
                sent |= bit;
                sink.accept(alert(scope, THRESHOLDS[i], requestId, atMs));
            }
        }
        return sent == account.alertsSent() ? account : account.withAlertsSent(sent);
    }

    private static UsageAlert alert(Scope scope, int threshold, String requestId, long atMs) {
        AccountKey key = scope.key();
        Account account = scope.account();
        PeriodWindow window = account.window();
        String period = window.start() == null ? "lifetime" : window.start().toString();
        // Ids and features cannot hold '/', and "workspace" cannot be mistaken for "namespace:<id>".
        String alertId = key.workspace() + "/" + key.scopeName() + "/" + key.feature() + "/"
                + account.countedPeriod() + "/" + period + "/" + threshold;
        return new UsageAlert(alertId, key.workspace(), key.isNamespace() ? key.namespace() : null, key.feature(),
                threshold, account.used(), scope.limit().limit(), account.countedPeriod(), window.start(),
                window.end(), requestId, Instant.ofEpochMilli(atMs));
    }
}
