package dev.tally.launcher.audit;

/** A live reservation, and which scopes' {@code reserved} hold its amount. */
record AuditedReservation(String namespace, String feature, long amount, boolean onNamespace, boolean onWorkspace) {

    /** What it holds in {@code scope}: its amount if it was checked there, else nothing. */
    long heldIn(AuditedScope scope) {
        boolean holds = scope.name().equals("workspace") ? onWorkspace : onNamespace;
        return holds ? amount : 0;
    }
}
