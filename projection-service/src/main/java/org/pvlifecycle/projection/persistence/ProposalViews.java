package org.pvlifecycle.projection.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.pvlifecycle.projection.domain.ProposalHistory;
import org.pvlifecycle.projection.domain.ProposalRow;
import org.pvlifecycle.projection.domain.SummaryRow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The full view of a proposal ({@code GET /proposals/{id}}) as a ready JSON document, and its row of
 * the list ({@code GET /proposals}) as ready JSON around its time in stage: written with each event
 * of the proposal, read as they are. The REST layer's own mapper writes them, so what is stored is
 * byte for byte what reading the columns and answering would have produced.
 */
@ApplicationScoped
public class ProposalViews {
    /** What the mapper writes for a row's timeInStage when it has none: found once in each row. */
    static final String NO_TIME_IN_STAGE = "\"timeInStage\":null";

    @Inject
    ObjectMapper mapper;

    /**
     * A row of the list as JSON, without the value of its {@code timeInStage}, which depends on the
     * time of the request: {@link #listAnswer} writes it between the two parts. Two parts rather than
     * one text and the offset of the gap: an offset would be counted in UTF-16 units here and in
     * characters by PostgreSQL, which differ for titles with characters beyond the BMP, and the
     * read would have to cut each row; two parts are only appended.
     */
    public record ListRowJson(String beforeTimeInStage, String afterTimeInStage) {
    }

    /**
     * {@link ListRowJson} of the row, cut from the JSON of the row itself written with a null
     * timeInStage, so its fields, their order and null handling stay the mapper's. The gap is the
     * first {@code "timeInStage":null}: the fields before it are strings, and a quote inside a
     * string is always escaped ({@code \"}), so none of them can contain it.
     */
    public ListRowJson listRow(SummaryRow row) {
        String json = json(ProposalRow.of(row, null));
        int gap = json.indexOf(NO_TIME_IN_STAGE);
        if (gap < 0) {
            throw new IllegalStateException("the mapper wrote no \"timeInStage\":null in " + json);
        }
        int value = gap + NO_TIME_IN_STAGE.length() - "null".length();
        return new ListRowJson(json.substring(0, value), json.substring(value + "null".length()));
    }

    /**
     * The answer of {@code GET /proposals}: the page, then each row as of {@code now}, from its
     * ready JSON, or written from its columns when it has none yet (a row refreshed before V13).
     * Byte for byte what serializing the page of {@link ProposalRow}s would write: the mapper writes
     * a duration as its ISO-8601 text in quotes (quarkus.jackson.write-durations-as-timestamps=false,
     * the services' convention), which is what {@link Duration#toString} gives, with nothing in it
     * to escape; asking the mapper for each row's had been a tenth of the list's CPU.
     */
    public Buffer listAnswer(int page, int size, List<ProjectionRepository.ListedRow> rows, Instant now) {
        Buffer answer = Buffer.buffer(64 + rows.size() * 512)
                .appendString("{\"page\":" + page + ",\"size\":" + size + ",\"items\":[");
        for (int i = 0; i < rows.size(); i++) {
            ProjectionRepository.ListedRow row = rows.get(i);
            if (i > 0) {
                answer.appendByte((byte) ',');
            }
            Duration timeInStage = Duration.between(row.stageEnteredAt(), now);
            if (row.columns() == null) {
                answer.appendBuffer(row.beforeTimeInStage()).appendString("\"" + timeInStage + "\"")
                        .appendBuffer(row.afterTimeInStage());
            } else {
                answer.appendString(json(ProposalRow.of(row.columns(), timeInStage)));
            }
        }
        return answer.appendString("]}");
    }

    /** What the mapper writes for a view's revisions when it has none: found once in each view. */
    static final String NO_REVISIONS = "\"revisions\":[]";

    /**
     * The most revisions a view's document holds itself. A view with more keeps its revisions one
     * row each ({@link #revision}), joined between the two parts of the rest of its document when
     * read: a proposal revised thousands of times would otherwise have its whole list written again
     * with each of its events (at 3,000 revisions, writing that JSON and sending it to PostgreSQL
     * was most of the projection's work per event). Up to this many, the whole document is read as
     * it is: joining the rows is the slower read (a view of 113 revisions, about 11 KB, answered
     * 2,650/s joined against 4,640/s whole at 50 connections), and a few hundred revisions written
     * again with each event are a few tens of KB. Few proposals are revised this often.
     */
    public static final int REVISIONS_IN_THE_DOCUMENT = 256;

    /**
     * A view's document as stored: {@code whole}, or (with more than
     * {@link #REVISIONS_IN_THE_DOCUMENT} revisions) the two parts around its revisions' items,
     * {@code beforeRevisions} ending with the list's {@code [}, {@code afterRevisions} starting with
     * its {@code ]}; the other is null.
     */
    public record DocumentJson(String whole, String beforeRevisions, String afterRevisions) {
        public boolean revisionsApart() {
            return whole == null;
        }

        /** The whole document with these revisions' items ({@link #revision}), as the read joins them. */
        public String with(List<String> revisions) {
            return whole != null ? whole : beforeRevisions + String.join(",", revisions) + afterRevisions;
        }
    }

    public DocumentJson document(ProposalHistory history) {
        if (history.revisions().size() <= REVISIONS_IN_THE_DOCUMENT) {
            return new DocumentJson(json(history), null, null);
        }
        return apart(history);
    }

    /**
     * {@link DocumentJson} of the view with its revisions apart, cut from the JSON of the view
     * itself written without revisions, so its fields, their order and null handling stay the
     * mapper's. The cut is at the first {@code "revisions":[]}: no field before it holds an object
     * with such a field, and a quote inside a string is always escaped, so no string can contain it.
     */
    DocumentJson apart(ProposalHistory history) {
        String json = json(new ProposalHistory(history.id(), history.title(), history.summary(), history.owner(),
                history.components(), history.stage(), history.stageEnteredAt(), history.stageHistory(), List.of(),
                history.evidence(), history.objections(), history.acks(), history.eligibility()));
        int gap = json.indexOf(NO_REVISIONS);
        if (gap < 0) {
            throw new IllegalStateException("the mapper wrote no " + NO_REVISIONS + " in " + json);
        }
        int items = gap + NO_REVISIONS.length() - 1;
        return new DocumentJson(null, json.substring(0, items), json.substring(items));
    }

    /** One revision as an item of a view's {@code revisions}. */
    public String revision(ProposalHistory.Revision revision) {
        return json(revision);
    }

    /**
     * The answer of {@code GET /proposals/{id}}: the instant it describes and the stored document,
     * whose bytes are copied in as they were read.
     */
    public Buffer answer(Instant asOf, Buffer document) {
        try {
            return Buffer.buffer(document.length() + 64)
                    .appendString("{\"asOf\":" + mapper.writeValueAsString(asOf) + ",\"proposal\":")
                    .appendBuffer(document).appendByte((byte) '}');
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
