package org.pvlifecycle.conventions.security;

import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bearer tokens that passed verification, by their raw text, so that a client sending the same
 * token request after request costs one signature check rather than one per request.
 * <p>
 * A token is reused until the earlier of its own {@code exp} and {@code maxAge} after it was
 * verified, so it is never accepted from here at or after its expiry, and a key taken out of the
 * key set stops being accepted within {@code maxAge}. A token that fails verification is never
 * kept: it is checked (and refused) each time. At most {@code maxEntries} tokens, none longer
 * than {@code maxTokenLength}, are kept, which bounds the memory however many distinct tokens
 * arrive. Every request costs O(1), except that a full cache drops its expired entries in one
 * pass, at most once a {@link #SWEEP_INTERVAL}.
 */
public final class VerifiedTokenCache {

    /** The expensive check this cache saves: verifies a raw token or refuses it. */
    @FunctionalInterface
    public interface Verifier {
        JsonWebToken verify(String token) throws ParseException;
    }

    /**
     * How often at most a full cache looks for expired entries to make room: often enough that new
     * tokens are kept again soon after old ones lapse, rarely enough that a flood of one-off tokens
     * costs one pass over the map a second rather than one per request.
     */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private record Entry(JsonWebToken token, long reusableUntilMillis) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final long maxAgeMillis;
    private final int maxTokenLength;
    private final Clock clock;
    private final AtomicLong nextSweepMillis = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public VerifiedTokenCache(int maxEntries, Duration maxAge, int maxTokenLength, Clock clock) {
        this.maxEntries = maxEntries;
        this.maxAgeMillis = saturatedMillis(maxAge);
        this.maxTokenLength = maxTokenLength;
        this.clock = clock;
    }

    /**
     * The verified token for {@code token}: the one kept from an earlier verification while it may
     * still be reused, otherwise what {@code verifier} makes of it (kept if it passes and may be
     * reused at all).
     *
     * @throws ParseException as {@code verifier} throws it; a refusal is never kept
     */
    public JsonWebToken verified(String token, Verifier verifier) throws ParseException {
        if (token == null || token.length() > maxTokenLength) {
            misses.increment();
            return verifier.verify(token);
        }
        // Read before verifying, so that the bound runs from no later than the check itself.
        long now = clock.millis();
        Entry kept = entries.get(token);
        if (kept != null) {
            if (now < kept.reusableUntilMillis()) {
                hits.increment();
                return kept.token();
            }
            entries.remove(token, kept);
        }
        misses.increment();
        JsonWebToken verified = verifier.verify(token);
        keep(token, verified, now);
        return verified;
    }

    private void keep(String token, JsonWebToken verified, long verifiedAt) {
        long reusableUntil = Math.min(saturatedSum(verifiedAt, maxAgeMillis), expiryMillis(verified));
        if (reusableUntil <= verifiedAt) {
            return;
        }
        // Checked without a lock: misses racing here may overshoot the bound by a few entries.
        if (entries.size() >= maxEntries && !madeRoom(verifiedAt)) {
            // Full of tokens that are still good: this one is verified every time until room is made.
            return;
        }
        entries.put(token, new Entry(verified, reusableUntil));
    }

    /** Drops the entries that may no longer be reused, if no sweep ran within the last interval. */
    private boolean madeRoom(long now) {
        long due = nextSweepMillis.get();
        if (now < due || !nextSweepMillis.compareAndSet(due, saturatedSum(now, SWEEP_INTERVAL.toMillis()))) {
            return false;
        }
        entries.values().removeIf(entry -> entry.reusableUntilMillis() <= now);
        return entries.size() < maxEntries;
    }

    /**
     * The token's {@code exp} in epoch milliseconds; a token without one is not kept. (Read as a
     * claim: {@link JsonWebToken#getExpirationTime()} unboxes it and fails when it is missing.)
     */
    private static long expiryMillis(JsonWebToken token) {
        if (!(token.getClaim("exp") instanceof Number exp)) {
            return Long.MIN_VALUE;
        }
        long seconds = exp.longValue();
        if (seconds > Long.MAX_VALUE / 1000) {
            return Long.MAX_VALUE;
        }
        return seconds < Long.MIN_VALUE / 1000 ? Long.MIN_VALUE : seconds * 1000;
    }

    private static long saturatedMillis(Duration duration) {
        try {
            return duration.toMillis();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        // Overflow only when both have the same sign and the sum's differs.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /** Requests answered from the cache. */
    public long hits() {
        return hits.sum();
    }

    /** Requests handed to the verifier, whatever it answered and whether or not it was kept. */
    public long misses() {
        return misses.sum();
    }

    /** How many tokens are kept, including any that lapsed and were not looked up since. */
    int size() {
        return entries.size();
    }
}
