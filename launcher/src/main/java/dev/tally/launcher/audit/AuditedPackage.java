package dev.tally.launcher.audit;

import java.util.Map;

/** An active package of one scope, as its last PACKAGE_PROVISIONED gave it. */
record AuditedPackage(boolean base, Map<String, AuditedGrant> features) {
}
