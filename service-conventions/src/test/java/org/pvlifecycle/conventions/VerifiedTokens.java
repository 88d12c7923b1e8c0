package org.pvlifecycle.conventions;

import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Map;
import java.util.Set;

/** For tests: a verified token with these claims, as MicroProfile JWT hands it to a resource. */
public final class VerifiedTokens {

    public static JsonWebToken withClaims(String subject, Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return subject;
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return (T) claims.get(claimName);
            }
        };
    }

    private VerifiedTokens() {
    }
}
