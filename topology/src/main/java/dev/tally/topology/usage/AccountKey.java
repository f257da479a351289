package dev.tally.topology.usage;

/**
 * One scope and feature of a workspace: the workspace itself ({@code namespace} empty) or one of its
 * namespaces. Encoded as {@code workspace|namespace|feature}; ids cannot hold '|' (see Identifiers), so a
 * prefix scan on {@code workspace|} finds exactly that workspace's accounts.
 */
public record AccountKey(String workspace, String namespace, String feature) {

    static final char SEPARATOR = '|';

    public AccountKey {
        namespace = namespace == null ? "" : namespace;
    }

    public static AccountKey workspaceScope(String workspace, String feature) {
        return new AccountKey(workspace, "", feature);
    }

    public boolean isNamespace() {
        return !namespace.isEmpty();
    }

    /** How a decision names this scope: {@code workspace} or {@code namespace:<id>}. */
    public String scopeName() {
        return isNamespace() ? "namespace:" + namespace : "workspace";
    }

    public String encode() {
        return workspace + SEPARATOR + namespace + SEPARATOR + feature;
    }

    public static String workspacePrefix(String workspace) {
        return workspace + SEPARATOR;
    }

    public static AccountKey decode(String encoded) {
        int first = encoded.indexOf(SEPARATOR);
        int second = encoded.indexOf(SEPARATOR, first + 1);
        if (first < 0 || second < 0) {
            throw new IllegalArgumentException("not an account key: " + encoded);
        }
        return new AccountKey(encoded.substring(0, first), encoded.substring(first + 1, second),
                encoded.substring(second + 1));
    }
}
