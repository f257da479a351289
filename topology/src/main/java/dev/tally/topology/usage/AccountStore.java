package dev.tally.topology.usage;

import java.util.List;

/** Where the ledger keeps accounts. The engine backs it with a RocksDB store; tests with a map. */
public interface AccountStore {

    /** The account, or null if none was ever written. */
    Account get(AccountKey key);

    void put(AccountKey key, Account account);

    /** Every account of one workspace (all scopes), at most {@code max}, in key order. */
    List<Entry> workspaceAccounts(String workspace, int max);

    record Entry(AccountKey key, Account account) {
    }
}
