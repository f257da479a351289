package dev.tally.gateway.auth;

import java.util.Locale;

/**
 * One thing an API key may act on: everything ({@code admin}), or the workspaces, resources or claim scopes
 * whose id matches ({@code workspace:acme}, {@code resource:room-*}, {@code claims:tenant-slug}), optionally
 * with the right to manage them ({@code workspace:acme:manage}: limits, packages, boosts;
 * {@code resource:room-1:manage}: the resource's definition). A claim scope shared by tenants (a phone number
 * within a company: {@code co_1:+14155550100}) is narrowed to some of its normalised values with
 * {@code claims:customer-phone/co_1:*}. A trailing {@code *} matches whatever starts with what comes before it.
 *
 * <p>Workspace and resource ids may hold {@code :} (the contract's ids are {@code A-Z a-z 0-9 . _ : -}), so
 * after the kind everything is the id, but a trailing {@code :manage}: {@code workspace:org:42} covers
 * {@code org:42}, {@code workspace:org:42:manage} manages it, {@code resource:site:a:*} covers the resources
 * whose id starts with {@code site:a:}. The one ambiguity: an id that itself ends in {@code :manage}
 * ({@code org:manage}) is read as the id before it with the right to manage ({@code workspace:org:manage}
 * manages {@code org}); such a workspace is managed with {@code workspace:org:manage:manage}, and reached
 * without managing it only through a prefix ({@code workspace:org:manage*}), which also covers the ids that
 * start with it. Claim scope names hold no {@code :} and claims are not managed, so a claims grant's scope
 * with one ({@code claims:x:manage}) is refused; its values may hold one ({@code co_1:*}).
 *
 * @param valuePattern for a claims grant, the claim values it covers; null for every value
 */
public record Grant(Kind kind, String idPattern, boolean manage, String valuePattern) {

    /** What a grant is about; {@link #ADMIN} covers every kind, with the right to manage. */
    public enum Kind {
        ADMIN, WORKSPACE, RESOURCE, CLAIMS;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Grant ADMIN = new Grant(Kind.ADMIN, "*", true, null);

    private static final String MANAGE_SUFFIX = ":manage";

    /** @throws IllegalArgumentException saying what a grant looks like */
    public static Grant parse(String text) {
        if (text.equals("admin")) {
            return ADMIN;
        }
        int colon = text.indexOf(':');
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        Kind kind = switch (colon < 0 ? text : text.substring(0, colon)) {
            case "workspace" -> Kind.WORKSPACE;
            case "resource" -> Kind.RESOURCE;
            case "claims" -> Kind.CLAIMS;
            default -> null;
        };
        Grant grant = null;
        if (kind == Kind.CLAIMS) {
            int slash = rest.indexOf('/');
            grant = new Grant(kind, slash < 0 ? rest : rest.substring(0, slash), false,
                    slash < 0 ? null : rest.substring(slash + 1));
        } else if (kind != null) {
            // Only the last ':manage' is the right: what comes before it is the id, colons and all.
            boolean manage = rest.endsWith(MANAGE_SUFFIX);
            grant = new Grant(kind, manage ? rest.substring(0, rest.length() - MANAGE_SUFFIX.length()) : rest, manage,
                    null);
        }
        if (grant == null || !isPattern(grant.idPattern())
                || (kind == Kind.CLAIMS && grant.idPattern().contains(":"))
                || (grant.valuePattern() != null && !isPattern(grant.valuePattern()))) {
            throw new IllegalArgumentException("'" + text + "' is not a grant: expected admin, workspace:<id>[:manage],"
                    + " resource:<id>[:manage] or claims:<scope>[/<value>] (an id or value may end with *)");
        }
        return grant;
    }

    /** Not empty, and a {@code *} only at the end. */
    private static boolean isPattern(String pattern) {
        int star = pattern.indexOf('*');
        return !pattern.isEmpty() && (star == -1 || star == pattern.length() - 1);
    }

    private static boolean matches(String pattern, String text) {
        return pattern.endsWith("*") ? text.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(text);
    }

    /** Whether this grant covers the entity of that kind and id (managing it or not; some claim values or all). */
    public boolean covers(Kind entityKind, String id) {
        return kind == Kind.ADMIN || (kind == entityKind && matches(idPattern, id));
    }

    /** Whether this grant covers that (normalised) claim value of that scope. */
    public boolean coversClaim(String scope, String value) {
        return covers(Kind.CLAIMS, scope) && (valuePattern == null || matches(valuePattern, value));
    }

    @Override
    public String toString() {
        if (kind == Kind.ADMIN) {
            return "admin";
        }
        return kind.word() + ":" + idPattern + (manage ? MANAGE_SUFFIX : "")
                + (valuePattern == null ? "" : "/" + valuePattern);
    }
}
