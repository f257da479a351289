package dev.tally.schemas.usage;

/** Cancel an active package of a workspace or namespace: what it granted stops counting from here on. */
public record CancelPackage(String requestId, String workspace, String namespace, String packageCode)
        implements UsageRequest {

    public static final String TYPE = "cancel-package";

    @Override
    public CancelPackage withRequestId(String id) {
        return new CancelPackage(id, workspace, namespace, packageCode);
    }
}
