package dev.tally.launcher.audit;

/** What one package grants one feature of a scope, and whether that package is the scope's base. */
record AuditedPackageGrant(boolean base, AuditedGrant grant) {
}
