package org.pvlifecycle.conventions.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Query parameters checked by hand, so that a bad one is a 400 problem naming the parameter. */
public final class QueryParameters {

    public static ProblemException bad(String parameter, String message) {
        return new ProblemException(Problem.of(400, "bad-parameter", "Bad query parameter", parameter + ": " + message)
                .withErrors(List.of(new Problem.FieldError(parameter, message))));
    }

    /** One of {@code allowed} (case-insensitive), upper-cased; null when absent. */
    public static String oneOf(String parameter, String value, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String upper = value.strip().toUpperCase(Locale.ROOT);
        if (!allowed.contains(upper)) {
            throw bad(parameter, "must be one of " + allowed);
        }
        return upper;
    }

    public static <E extends Enum<E>> String enumValue(String parameter, String value, Class<E> type) {
        return oneOf(parameter, value, Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }

    public static Boolean bool(String parameter, String value) {
        String b = oneOf(parameter, value, List.of("TRUE", "FALSE"));
        return b == null ? null : b.equals("TRUE");
    }

    public static int integer(String parameter, String value, int fallback, int min, int max) {
        return (int) whole(parameter, value, fallback, min, max);
    }

    /** A whole number within [min, max] (a log position is a {@code bigint}); {@code fallback} when absent. */
    public static long whole(String parameter, String value, long fallback, long min, long max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw bad(parameter, "must be a whole number between " + min + " and " + max);
    }

    public static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw bad(parameter, "must be an ISO-8601 instant such as 2026-11-26T09:00:00Z");
        }
        // Java reads years of up to nine digits, either side of year 0; PostgreSQL keeps times from
        // 4713 BC to 294276 AD, and the reactive client's microseconds since 2000 overflow well
        // before Java's limits: such an instant failed in the database or was read as another one.
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw bad(parameter, "must be an instant of the years 1 to 9999, such as 2026-11-26T09:00:00Z");
        }
        return instant;
    }

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private QueryParameters() {
    }
}
