package org.pvlifecycle.events.decider;

/**
 * What a domain's refusal exception is: a command its rules refuse, and which rule. The reason's
 * name is the {@code reason} of {@code pvl_commands_total}, so that every service counts its
 * refusals the same way.
 */
public interface CommandRefusal {

    Enum<?> reason();
}
