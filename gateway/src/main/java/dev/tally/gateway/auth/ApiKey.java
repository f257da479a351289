package dev.tally.gateway.auth;

import java.util.List;

/**
 * A key as the gateway keeps it: the caller it stands for (a name for logs and meters, and what it may act
 * on), and the SHA-256 of its secret, never the secret.
 */
public record ApiKey(Caller caller, String sha256Hex) {

    public ApiKey(String name, String sha256Hex, List<Grant> grants) {
        this(new Caller(name, grants), sha256Hex);
    }

    public String name() {
        return caller.name();
    }
}
