package dev.tally.topology.usage;

import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.usage.BoostView;
import dev.tally.schemas.usage.PackageView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Entitlements in one store, as JSON (written only when provisioning, read only then and by reads).
 * Keys: {@code ws|p|ns|packageCode}, {@code ws|base|ns} (the base package's code) and
 * {@code ws|boost|externalId}; the workspace's own scope has an empty {@code ns}. Ids cannot hold '|', so
 * {@code ws|p|} prefixes exactly that workspace's packages.
 */
final class StoreEntitlements implements EntitlementStore {

    private static final RequestCodec<PackageView> PACKAGES = RequestCodec.of(PackageView.class);
    private static final RequestCodec<BoostView> BOOSTS = RequestCodec.of(BoostView.class);

    private final KeyValueStore<String, byte[]> store;

    StoreEntitlements(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    @Override
    public PackageView getPackage(String workspace, String namespace, String packageCode) {
        byte[] bytes = store.get(packageKey(workspace, namespace, packageCode));
        return bytes == null ? null : StoredJson.read(PACKAGES, bytes);
    }

    @Override
    public void putPackage(String workspace, PackageView view) {
        store.put(packageKey(workspace, view.namespace(), view.packageCode()), PACKAGES.write(view));
    }

    @Override
    public void deletePackage(String workspace, String namespace, String packageCode) {
        store.delete(packageKey(workspace, namespace, packageCode));
    }

    @Override
    public String basePackage(String workspace, String namespace) {
        byte[] code = store.get(workspace + "|base|" + scope(namespace));
        return code == null ? null : new String(code, StandardCharsets.UTF_8);
    }

    @Override
    public void setBasePackage(String workspace, String namespace, String packageCode) {
        String key = workspace + "|base|" + scope(namespace);
        if (packageCode == null) {
            store.delete(key);
        } else {
            store.put(key, packageCode.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public List<PackageView> packages(String workspace, int max) {
        List<PackageView> views = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> range = store.prefixScan(workspace + "|p|", new StringSerializer())) {
            while (range.hasNext() && views.size() < max) {
                KeyValue<String, byte[]> next = range.next();
                views.add(StoredJson.read(PACKAGES, next.value));
            }
        }
        return views;
    }

    @Override
    public BoostView getBoost(String workspace, String externalId) {
        byte[] bytes = store.get(workspace + "|boost|" + externalId);
        return bytes == null ? null : StoredJson.read(BOOSTS, bytes);
    }

    @Override
    public void putBoost(String workspace, BoostView view) {
        store.put(workspace + "|boost|" + view.externalId(), BOOSTS.write(view));
    }

    private static String packageKey(String workspace, String namespace, String packageCode) {
        return workspace + "|p|" + scope(namespace) + "|" + packageCode;
    }

    private static String scope(String namespace) {
        return namespace == null ? "" : namespace;
    }
}
