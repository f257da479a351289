package dev.tally.topology.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.RecordUsage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {

    private static final long AT = 1_764_000_000_000L;

    /** Accounts in a map, in key order as the RocksDB store keeps them. */
    private static final class MapAccounts implements AccountStore {
        final Map<String, Entry> accounts = new TreeMap<>();

        @Override
        public Account get(AccountKey key) {
            Entry entry = accounts.get(key.encode());
            return entry == null ? null : entry.account();
        }

        @Override
        public void put(AccountKey key, Account account) {
            accounts.put(key.encode(), new Entry(key, account));
        }

        @Override
        public List<Entry> workspaceAccounts(String workspace, int max) {
            return accounts.values().stream().filter(e -> e.key().workspace().equals(workspace)).limit(max).toList();
        }
    }

    @Test
    void usagePastASoftLimitStopsWhereTheCounterWouldWrap() {
        MapAccounts store = new MapAccounts();
        AccountKey key = AccountKey.workspaceScope("acme", "ai.tokens");
        store.put(key, Account.limitedTo(new LimitSpec(10, Period.LIFETIME, Enforcement.SOFT), AT)
                .charged(Long.MAX_VALUE - 1_000));
        UsageLedger ledger = new UsageLedger(store, new UsageAlerts(alert -> { }));

        var fits = ledger.record(new RecordUsage("u1", "acme", null, "ai.tokens", 1_000L, null), AT);
        var wraps = ledger.record(new RecordUsage("u2", "acme", null, "ai.tokens", 1L, null), AT);

        assertThat(fits.code()).isEqualTo(DecisionCode.SOFT_LIMIT_EXCEEDED);
        assertThat(wraps.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(store.get(key).used()).isEqualTo(Long.MAX_VALUE);
    }
}
