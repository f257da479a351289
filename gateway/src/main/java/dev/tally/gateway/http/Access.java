package dev.tally.gateway.http;

import dev.tally.gateway.auth.Grant;
import io.javalin.security.RouteRole;

/**
 * What a route acts on, so that one check before every matched route can ask whether the caller's key
 * reaches it: the entity's kind, the path parameter that names it, and whether the route manages it
 * (limits, packages, boosts, a resource's definition). A route without one is open (health, metrics).
 */
enum Access implements RouteRole {
    WORKSPACE(Grant.Kind.WORKSPACE, "ws", false),
    WORKSPACE_MANAGE(Grant.Kind.WORKSPACE, "ws", true),
    RESOURCE(Grant.Kind.RESOURCE, "id", false),
    RESOURCE_MANAGE(Grant.Kind.RESOURCE, "id", true),
    CLAIMS(Grant.Kind.CLAIMS, "scope", false),
    /** A composite names its resources in its body: the route checks each once it has read them. */
    SEGMENT_RESOURCES(Grant.Kind.RESOURCE, null, false);

    final Grant.Kind kind;
    /** The path parameter naming the entity; null when the body names it. */
    final String pathParam;
    final boolean manage;

    Access(Grant.Kind kind, String pathParam, boolean manage) {
        this.kind = kind;
        this.pathParam = pathParam;
        this.manage = manage;
    }
}
