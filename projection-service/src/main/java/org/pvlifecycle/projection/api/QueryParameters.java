package org.pvlifecycle.projection.api;

import org.pvlifecycle.eventstore.rest.Problem;
import org.pvlifecycle.eventstore.rest.ProblemException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Query parameters checked by hand, so that a bad one is a 400 problem naming the parameter. */
final class QueryParameters {

    static ProblemException bad(String parameter, String message) {
        return new ProblemException(Problem.of(400, "bad-parameter", "Bad query parameter", parameter + ": " + message)
                .withErrors(List.of(new Problem.FieldError(parameter, message))));
    }

    static <E extends Enum<E>> String enumValue(String parameter, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(java.util.Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw bad(parameter, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    static Boolean bool(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(parameter, "must be true or false");
        };
    }

    static int integer(String parameter, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw bad(parameter, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(parameter, "must be a whole number between " + min + " and " + max);
        }
    }

    static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw bad(parameter, "must be an ISO-8601 instant such as 2026-11-26T09:00:00Z");
        }
    }

    private QueryParameters() {
    }
}
