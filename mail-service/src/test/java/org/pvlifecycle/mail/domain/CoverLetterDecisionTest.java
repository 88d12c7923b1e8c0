package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.mail.domain.Decision.Verdict;
import org.pvlifecycle.mail.domain.Knowledge.Proposal;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvlifecycle.mail.domain.Mails.message;

/**
 * The decisions on a series whose subjects name no proposal (series-cover-letter.eml and
 * series-reply-acked.eml): its cover letter belongs to the proposal whose path its diffstat names,
 * and an ack in reply to it counts (docs/mail.md).
 */
class CoverLetterDecisionTest {
    static final String SERIES_COVER = "20260310081502.30517-1-mara.kovac@example.com";
    static final String HEADER = "xen/include/public/io/pvcalls.h";
    static final String HEADER_STAT = " xen/include/public/io/pvcalls.h | 12 +++++++---";

    /** The pvcalls proposal knowing only its public header, and nothing of the series' thread yet. */
    static Knowledge knowingTheHeader(String sender, Map<String, String> repliedTo) {
        Proposal header = new Proposal("pvcalls-v2", "mara", Stage.PROTOTYPE, MessageDecisionTest.PVCALLS.components(), List.of(HEADER));
        return new Knowledge(MessageDecisionTest.LIST, sender, Map.of(header.id(), header), repliedTo, List.of(),
                MessageDecisionTest.MAINTAINERS);
    }

    @Test
    void aCoverLetterBelongsToTheProposalWhosePathItsDiffstatNamesAndAnAckInReplyToItCounts() {
        MailMessage cover = message("series-cover-letter.eml");
        assertThat(cover.subject()).startsWith("[PATCH v2 0/2]").doesNotContain("pvcalls-v2");
        assertThat(cover.body()).contains(HEADER_STAT);
        Decision tied = MessageDecision.decide(cover, knowingTheHeader("mara", Map.of()));
        assertThat(tied.proposal()).contains("pvcalls-v2");
        assertThat(tied.verdict()).isEqualTo(Verdict.IGNORE);
        assertThat(tied.reason()).hasValueSatisfying(r -> assertThat(r).startsWith(MessageDecision.NOTHING_ACTIONABLE));

        // "For the series:" in reply to the cover letter, which the bridge now knows as the proposal's.
        Decision acked = MessageDecision.decide(message("series-reply-acked.eml"),
                knowingTheHeader("tomas", Map.of(SERIES_COVER, "pvcalls-v2")));
        assertThat(acked.proposal()).contains("pvcalls-v2");
        assertThat(acked.verdict()).isEqualTo(Verdict.ACT);
        assertThat(acked.actions()).containsExactly(new MailAction.GiveAck("tomas", AckKind.ACKED_BY, "linux-frontend"),
                new MailAction.GiveAck("tomas", AckKind.ACKED_BY, "pvcalls-docs"));
    }

    @Test
    void aCoverLetterWhoseDiffstatShortenedTheHeaderPathBelongsToTheProposalWhosePathEndsSo() {
        MailMessage shortened = MessageDecisionTest.variant("series-cover-letter.eml", HEADER_STAT, " .../public/io/pvcalls.h        | 12 +++++++---");
        assertThat(MessageDecision.decide(shortened, knowingTheHeader("mara", Map.of())).proposal()).contains("pvcalls-v2");

        MailMessage elsewhere = MessageDecisionTest.variant("series-cover-letter.eml", HEADER_STAT, " .../private/io/pvcalls.h       | 12 +++++++---");
        assertThat(MessageDecision.decide(elsewhere, knowingTheHeader("mara", Map.of())).reason())
                .hasValue(MessageDecision.NO_PROPOSAL);
    }

    @Test
    void aDiffstatInAMessageThatIsNoCoverLetterTouchesNothing() {
        // A patch of the series whose diff was lost, and a reply that pastes the diffstat unquoted.
        MailMessage patch = MessageDecisionTest.variant("series-cover-letter.eml", "[PATCH v2 0/2]", "[PATCH v2 1/2]");
        MailMessage reply = MessageDecisionTest.variant("series-cover-letter.eml", "Subject: [PATCH v2 0/2]", "Subject: Re: [PATCH v2 0/2]");
        for (MailMessage m : List.of(patch, reply)) {
            assertThat(m.body()).as(m.subject()).contains(HEADER_STAT);
            Decision d = MessageDecision.decide(m, knowingTheHeader("mara", Map.of()));
            assertThat(d.proposal()).as(m.subject()).isEmpty();
            assertThat(d.reason()).as(m.subject()).hasValue(MessageDecision.NO_PROPOSAL);
        }
    }
}
