package org.pvlifecycle.projection.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.projection.domain.ProposalHistory;

import java.time.Instant;

/**
 * The full view of a proposal ({@code GET /proposals/{id}}) as a ready JSON document: written with
 * each event of the proposal, read as it is. The REST layer's own mapper writes it, so the stored
 * document is byte for byte what folding and answering would have produced.
 */
@ApplicationScoped
public class ProposalViews {

    @Inject
    ObjectMapper mapper;

    /** The proposal part of the full view. */
    public String document(ProposalHistory history) {
        try {
            return mapper.writeValueAsString(history);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the view of " + history + " cannot be written", e);
        }
    }

    /** The answer of {@code GET /proposals/{id}}: the instant it describes and the stored document. */
    public String answer(Instant asOf, String document) {
        try {
            return "{\"asOf\":" + mapper.writeValueAsString(asOf) + ",\"proposal\":" + document + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any other answer, written by the same mapper. */
    public String json(Object answer) {
        try {
            return mapper.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
