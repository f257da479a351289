package dev.tally.gateway.auth;

import java.util.Locale;

/**
 * One thing an API key may act on: everything ({@code admin}), or the workspaces, resources or claim scopes
 * whose id matches ({@code workspace:acme}, {@code resource:room-*}, {@code claims:tenant-slug}), optionally
 * with the right to manage them ({@code workspace:acme:manage}: limits, packages, boosts;
 * {@code resource:room-1:manage}: the resource's definition). A trailing {@code *} matches every id that
 * starts with what comes before it.
 */
public record Grant(Kind kind, String idPattern, boolean manage) {

    /** What a grant is about; {@link #ADMIN} covers every kind, with the right to manage. */
    public enum Kind {
        ADMIN, WORKSPACE, RESOURCE, CLAIMS;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Grant ADMIN = new Grant(Kind.ADMIN, "*", true);

    /** @throws IllegalArgumentException saying what a grant looks like */
    public static Grant parse(String text) {
        if (text.equals("admin")) {
            return ADMIN;
        }
        String[] parts = text.split(":", -1);
        Kind kind = switch (parts[0]) {
            case "workspace" -> Kind.WORKSPACE;
            case "resource" -> Kind.RESOURCE;
            case "claims" -> Kind.CLAIMS;
            default -> null;
        };
        String id = parts.length >= 2 ? parts[1] : "";
        int star = id.indexOf('*');
        boolean manage = parts.length == 3 && parts[2].equals("manage") && kind != Kind.CLAIMS;
        boolean wellFormed = kind != null && !id.isEmpty() && (star == -1 || star == id.length() - 1)
                && (parts.length == 2 || manage);
        if (!wellFormed) {
            throw new IllegalArgumentException("'" + text + "' is not a grant: expected admin, workspace:<id>[:manage],"
                    + " resource:<id>[:manage] or claims:<scope> (an id may end with *)");
        }
        return new Grant(kind, parts[1], manage);
    }

    /** Whether this grant covers the entity of that kind and id (managing it or not). */
    public boolean covers(Kind entityKind, String id) {
        if (kind == Kind.ADMIN) {
            return true;
        }
        if (kind != entityKind) {
            return false;
        }
        return idPattern.endsWith("*") ? id.startsWith(idPattern.substring(0, idPattern.length() - 1))
                : idPattern.equals(id);
    }

    @Override
    public String toString() {
        return kind == Kind.ADMIN ? "admin" : kind.word() + ":" + idPattern + (manage ? ":manage" : "");
    }
}
