package org.pvlifecycle.mail.api;

import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pvlifecycle.conventions.rest.ProblemException;
import org.pvlifecycle.mail.persistence.KnowledgeRepository;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity map (docs/api.md#mail-service-8086): which person id a sender's address stands for.
 * A sender not in it acts as their lower-cased address.
 */
@Path("/identities")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "identities", description = "Sender addresses and the people they stand for")
public class IdentityResource {
    static final int MAX_ENTRIES = 10_000;
    /** RFC 5321's longest path; the review service's longest person id (docs/api.md#the-mail-gateway). */
    static final int MAX_ADDRESS = 254;
    static final int MAX_PERSON = 200;

    @Inject
    KnowledgeRepository knowledge;

    @GET
    @Operation(summary = "The identity map: address → person id")
    public Uni<Map<String, String>> identities() {
        return knowledge.identities();
    }

    @PUT
    @Operation(summary = "Replaces the identity map; answers the new map")
    public Uni<Map<String, String>> replace(@NotNull Map<String, String> identities) {
        if (identities.size() > MAX_ENTRIES) {
            throw ProblemException.invalid("body", "at most " + MAX_ENTRIES + " addresses");
        }
        Map<String, String> checked = new TreeMap<>();
        identities.forEach((address, person) -> {
            String key = address == null ? "" : address.strip().toLowerCase(Locale.ROOT);
            if (key.isEmpty() || key.length() > MAX_ADDRESS || key.indexOf('@') <= 0 || key.endsWith("@")
                    || key.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == '<' || c == '>')) {
                throw ProblemException.invalid(String.valueOf(address), "must be a mail address (local@domain, at most "
                        + MAX_ADDRESS + " characters)");
            }
            if (person == null || person.isEmpty() || person.length() > MAX_PERSON
                    || person.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw ProblemException.invalid(address, "must map to a person id: 1 to " + MAX_PERSON
                        + " characters, no whitespace");
            }
            checked.put(key, person);
        });
        return knowledge.replaceIdentities(checked).replaceWith(checked);
    }
}
