package dev.tally.topology.usage;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The ledger's accounts in the task's key-value store. */
final class StoreAccounts implements AccountStore {

    private final KeyValueStore<String, Account> store;

    StoreAccounts(KeyValueStore<String, Account> store) {
        this.store = store;
    }

    @Override
    public Account get(AccountKey key) {
        return store.get(key.encode());
    }

    @Override
    public void put(AccountKey key, Account account) {
        store.put(key.encode(), account);
    }

    @Override
    public List<Entry> workspaceAccounts(String workspace, int max) {
        List<Entry> entries = new ArrayList<>();
        try (KeyValueIterator<String, Account> range =
                     store.prefixScan(AccountKey.workspacePrefix(workspace), new StringSerializer())) {
            while (range.hasNext() && entries.size() < max) {
                KeyValue<String, Account> next = range.next();
                entries.add(new Entry(AccountKey.decode(next.key), next.value));
            }
        }
        return entries;
    }
}
