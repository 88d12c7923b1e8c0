package org.pvlifecycle.conventions.security;

import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.pvlifecycle.conventions.VerifiedTokens;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which verified tokens are reused, for how long, and which are checked again every time. */
class VerifiedTokenCacheTest {
    static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    final MovableClock clock = new MovableClock(START);
    final CountingParser parser = new CountingParser(clock);

    VerifiedTokenCache cache(int maxEntries, int maxTokenLength) {
        return new VerifiedTokenCache(maxEntries, MAX_AGE, maxTokenLength, clock);
    }

    VerifiedTokenCache cache() {
        return cache(1000, 8192);
    }

    @Test
    void theSameTokenIsVerifiedOnceWithinMaxAge() throws ParseException {
        VerifiedTokenCache cache = cache();
        String token = parser.issue("alice", START.plus(Duration.ofHours(1)));

        JsonWebToken first = cache.verified(token, parser);
        clock.move(MAX_AGE.minusMillis(1));
        JsonWebToken again = cache.verified(token, parser);

        assertThat(parser.calls(token)).isEqualTo(1);
        assertThat(again).isSameAs(first);
        assertThat(again.getName()).isEqualTo("alice");
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void aTokenIsVerifiedAgainOnceMaxAgeHasPassedAndThenReusedAgain() throws ParseException {
        VerifiedTokenCache cache = cache();
        String token = parser.issue("alice", START.plus(Duration.ofHours(1)));
        cache.verified(token, parser);

        clock.move(MAX_AGE);
        cache.verified(token, parser);
        assertThat(parser.calls(token)).as("exactly max-age after its verification").isEqualTo(2);

        clock.move(MAX_AGE.minusMillis(1));
        cache.verified(token, parser);
        assertThat(parser.calls(token)).as("the bound runs from the second verification").isEqualTo(2);
    }

    @Test
    void aTokenAtOrPastItsExpiryIsNeverServedFromTheCache() throws ParseException {
        VerifiedTokenCache cache = cache();
        Instant exp = START.plusSeconds(10);
        String token = parser.issue("alice", exp);
        cache.verified(token, parser);

        clock.set(exp.minusMillis(1));
        cache.verified(token, parser);
        assertThat(parser.calls(token)).as("still valid, within max-age").isEqualTo(1);

        clock.set(exp);
        assertThatThrownBy(() -> cache.verified(token, parser)).isInstanceOf(ParseException.class);
        clock.move(Duration.ofSeconds(5));
        assertThatThrownBy(() -> cache.verified(token, parser)).isInstanceOf(ParseException.class);
        assertThat(parser.calls(token)).as("the parser refuses it each time").isEqualTo(3);
    }

    @Test
    void aTokenAcceptedPastItsExpiryWithinTheParsersSkewIsNotKept() throws ParseException {
        // A parser may accept a token a little past its exp (clock skew); the cache does not keep it.
        VerifiedTokenCache cache = cache();
        String token = parser.issue("alice", START.minusSeconds(1));
        parser.skew = Duration.ofSeconds(60);

        cache.verified(token, parser);
        cache.verified(token, parser);

        assertThat(parser.calls(token)).isEqualTo(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aTokenWithoutExpiryIsVerifiedEveryTime() throws ParseException {
        VerifiedTokenCache cache = cache();
        String token = parser.issue("alice", null);

        cache.verified(token, parser);
        cache.verified(token, parser);

        assertThat(parser.calls(token)).isEqualTo(2);
    }

    @Test
    void aRefusedTokenIsNotKeptAndIsRefusedEachTime() {
        VerifiedTokenCache cache = cache();
        String forged = "forged.token.signature";

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.verified(forged, parser)).isInstanceOf(ParseException.class);
        }

        assertThat(parser.calls(forged)).isEqualTo(3);
        assertThat(cache.size()).isZero();
        assertThat(cache.hits()).isZero();
    }

    @Test
    void aFullCacheVerifiesNewTokensWithoutKeepingThemAndStillServesTheOnesItKept() throws ParseException {
        VerifiedTokenCache cache = cache(2, 8192);
        Instant exp = START.plus(Duration.ofHours(1));
        String alice = parser.issue("alice", exp);
        String bob = parser.issue("bob", exp);
        String carol = parser.issue("carol", exp);

        for (int i = 0; i < 3; i++) {
            cache.verified(alice, parser);
            cache.verified(bob, parser);
            cache.verified(carol, parser);
        }

        assertThat(cache.size()).isEqualTo(2);
        assertThat(parser.calls(alice)).isEqualTo(1);
        assertThat(parser.calls(bob)).isEqualTo(1);
        assertThat(parser.calls(carol)).isEqualTo(3);
    }

    @Test
    void onceTheKeptTokensLapseAFullCacheMakesRoomForNewOnes() throws ParseException {
        VerifiedTokenCache cache = cache(2, 8192);
        Instant exp = START.plus(Duration.ofHours(1));
        cache.verified(parser.issue("alice", exp), parser);
        cache.verified(parser.issue("bob", exp), parser);

        clock.move(MAX_AGE);
        String carol = parser.issue("carol", exp);
        cache.verified(carol, parser);
        cache.verified(carol, parser);

        assertThat(parser.calls(carol)).isEqualTo(1);
        assertThat(cache.size()).as("alice and bob were dropped, never looked up again").isEqualTo(1);
    }

    @Test
    void aFullCacheLooksForLapsedTokensAtMostOnceASweepInterval() throws ParseException {
        VerifiedTokenCache cache = cache(1, 8192);
        Instant exp = START.plus(Duration.ofHours(1));
        cache.verified(parser.issue("carol", exp), parser); // kept until START + MAX_AGE

        Instant sweptAt = START.plus(MAX_AGE).minusMillis(500);
        clock.set(sweptAt);
        cache.verified(parser.issue("dave", exp), parser); // full: sweeps, finds carol still good

        clock.set(START.plus(MAX_AGE)); // carol has lapsed, but the last sweep was 500 ms ago
        String erin = parser.issue("erin", exp);
        cache.verified(erin, parser);
        cache.verified(erin, parser);
        assertThat(parser.calls(erin)).as("not kept: no sweep within the interval").isEqualTo(2);

        clock.set(sweptAt.plus(VerifiedTokenCache.SWEEP_INTERVAL));
        cache.verified(erin, parser); // sweeps: carol dropped, erin kept
        cache.verified(erin, parser);
        assertThat(parser.calls(erin)).isEqualTo(3);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aTokenLongerThanTheBoundIsVerifiedEveryTime() throws ParseException {
        VerifiedTokenCache cache = cache(1000, 40);
        Instant exp = START.plus(Duration.ofHours(1));
        String atTheBound = parser.issue(padded("alice", 40), exp);
        String tooLong = parser.issue(padded("bob", 41), exp);

        for (int i = 0; i < 3; i++) {
            cache.verified(atTheBound, parser);
            cache.verified(tooLong, parser);
        }

        assertThat(parser.calls(atTheBound)).isEqualTo(1);
        assertThat(parser.calls(tooLong)).isEqualTo(3);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void maxEntriesZeroOrMaxAgeZeroKeepNothing() throws ParseException {
        String token = parser.issue("alice", START.plus(Duration.ofHours(1)));
        VerifiedTokenCache noEntries = cache(0, 8192);
        VerifiedTokenCache noAge = new VerifiedTokenCache(1000, Duration.ZERO, 8192, clock);

        for (int i = 0; i < 2; i++) {
            noEntries.verified(token, parser);
            noAge.verified(token, parser);
        }

        assertThat(parser.calls(token)).isEqualTo(4);
    }

    /** A token of exactly {@code length} characters, which {@link CountingParser} accepts. */
    static String padded(String subject, int length) {
        return subject + "." + "x".repeat(length - subject.length() - 1);
    }

    /**
     * Stands in for smallrye-jwt's parser: accepts the tokens it issued until their exp (plus any
     * skew) by the test's clock, refuses every other, and counts the calls for each token.
     */
    static final class CountingParser implements VerifiedTokenCache.Verifier {
        final Clock clock;
        final Map<String, Instant> issued = new HashMap<>();
        final Map<String, Integer> calls = new HashMap<>();
        Duration skew = Duration.ZERO;

        CountingParser(Clock clock) {
            this.clock = clock;
        }

        /** A token whose text starts with {@code subject}; {@code exp} null for none. */
        String issue(String subject, Instant exp) {
            String token = subject.contains(".") ? subject : subject + ".claims.signature";
            issued.put(token, exp);
            return token;
        }

        int calls(String token) {
            return calls.getOrDefault(token, 0);
        }

        @Override
        public JsonWebToken verify(String token) throws ParseException {
            calls.merge(token, 1, Integer::sum);
            if (!issued.containsKey(token)) {
                throw new ParseException("signature does not match");
            }
            Instant exp = issued.get(token);
            if (exp != null && !clock.instant().isBefore(exp.plus(skew))) {
                throw new ParseException("expired");
            }
            return verifiedToken(token.substring(0, token.indexOf('.')), exp);
        }

        static JsonWebToken verifiedToken(String subject, Instant exp) {
            Map<String, Object> claims = new HashMap<>();
            claims.put("sub", subject);
            if (exp != null) {
                claims.put("exp", exp.getEpochSecond());
            }
            return VerifiedTokens.withClaims(subject, claims);
        }
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
