package org.pvlifecycle.conventions.security;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.jwt.JsonWebToken;

import javax.crypto.SecretKey;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;

/**
 * The {@link JWTParser} Quarkus' bearer-token check ({@code MpJwtValidator}) uses in every
 * service: smallrye-jwt's own parser, with the tokens it verified reused for a while
 * ({@link VerifiedTokenCache}, {@code pvl.jwt.cache.*}). Clients send the same token on request
 * after request, and verifying its RS256 signature again each time was about 15% of the proposal
 * service's CPU under the command benchmark (big-integer arithmetic without C2's intrinsics).
 * <p>
 * Only {@link #parse(String)}, the call that checks a request's token against the configured key
 * and issuer, is cached; every other method verifies with the caller's own key or context, so it
 * is passed on unchanged. Being an enabled alternative, this bean is the one every injection point
 * of {@code JWTParser} receives; the default parser remains reachable by its class.
 * <p>
 * {@code pvl_jwt_cache_total{outcome="hit"|"miss"}} counts requests answered from the cache and
 * those handed to the parser.
 */
@Alternative
@Priority(1)
@Singleton
public class CachingJwtParser implements JWTParser {
    private final DefaultJWTParser parser;
    /** Null when {@code pvl.jwt.cache.enabled} is false. */
    private final VerifiedTokenCache cache;

    @Inject
    CachingJwtParser(DefaultJWTParser parser, JwtCacheConfig config, MeterRegistry registry) {
        this.parser = parser;
        if (!config.enabled()) {
            this.cache = null;
            return;
        }
        // The system clock, not the services' Clock bean: the parser judges exp by the system's
        // time, and tests move the services' clock by days.
        this.cache = new VerifiedTokenCache(config.maxEntries(), config.maxAge(), config.maxTokenLength(),
                Clock.systemUTC());
        FunctionCounter.builder("pvl.jwt.cache", cache, VerifiedTokenCache::hits).tag("outcome", "hit")
                .description("Bearer tokens accepted from the cache of verified tokens").register(registry);
        FunctionCounter.builder("pvl.jwt.cache", cache, VerifiedTokenCache::misses).tag("outcome", "miss")
                .description("Bearer tokens handed to the JWT parser to verify").register(registry);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return cache == null ? parser.parse(token) : cache.verified(token, parser::parse);
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return parser.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return parser.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return parser.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return parser.parseOnly(token);
    }
}
