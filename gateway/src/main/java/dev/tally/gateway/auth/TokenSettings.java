package dev.tally.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a JSON Web Token must be for the gateway to accept it: signed with this one algorithm by a key of
 * {@code keyFile}, issued by {@code issuer} for {@code audience}, not expired (nor used before its
 * {@code nbf}) give or take {@code clockSkew}, with a subject and its grants in {@code grantsClaim}.
 */
public record TokenSettings(String issuer, String audience, JWSAlgorithm algorithm, Path keyFile,
                            String grantsClaim, Duration clockSkew) {
}
