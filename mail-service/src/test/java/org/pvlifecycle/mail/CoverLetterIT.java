package org.pvlifecycle.mail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.mail.ReviewStandIn.Call;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.pvlifecycle.mail.Lists.LIST;
import static org.pvlifecycle.mail.Lists.post;

/**
 * A series whose subjects name no proposal (resources mail/ README.txt: series-cover-letter.eml
 * and series-reply-acked.eml), sent as the list delivers it: the cover letter belongs to the
 * proposal whose path its diffstat names, and a maintainer's "For the series: Acked-by:" in reply
 * to it reaches the review service stand-in as an ack on their behalf.
 */
@QuarkusTest
@QuarkusTestResource(MailTestResources.class)
class CoverLetterIT {
    static final ReviewStandIn REVIEW = MailTestResources.REVIEW;
    static final String COVER = "20260310081502.30517-1-mara.kovac@example.com";
    static final String ACK = "7d3e9b20-51c4-4e0a-a6f1-series-ack@example.net";
    static final String HEADER = "xen/include/public/io/pvcalls.h";

    @Test
    void aMaintainersAckInReplyToACoverLetterTiedByItsDiffstatIsApplied() {
        Lists.peopleKnown();
        ListMail mail = ListMail.fresh();
        // The run's tests share one database: a header of this test's own, so that no other proposal has its path.
        String header = "xen/include/public/io/pvcalls-" + mail.tag + ".h";
        Lists.proposalKnown(mail, List.of(header));

        post(series(mail, "series-cover-letter.eml", header)).statusCode(202)
                .body("messageId", equalTo(mail.id(COVER))).body("proposal", equalTo(mail.proposal))
                .body("outcome", equalTo("IGNORED")).body("reason", startsWith("nothing actionable"));
        post(series(mail, "series-reply-acked.eml", header)).statusCode(202)
                .body("messageId", equalTo(mail.id(ACK))).body("proposal", equalTo(mail.proposal))
                .body("outcome", equalTo("APPLIED")).body("actions", hasSize(1))
                .body("actions[0].kind", equalTo("ACK")).body("actions[0].actor", equalTo("tomas"))
                .body("actions[0].ackKind", equalTo("ACKED_BY")).body("actions[0].component", equalTo("linux-frontend"))
                .body("actions[0].state", equalTo("DONE"));

        List<Call> calls = REVIEW.callsAbout(mail.proposal);
        assertThat(calls).extracting(c -> c.method() + " " + c.path())
                .containsExactly("POST /proposals/" + mail.proposal + "/acks");
        Call ack = calls.get(0);
        assertThat(ack.body().path("kind").asText()).isEqualTo("ACKED_BY");
        assertThat(ack.body().path("component").asText()).isEqualTo("linux-frontend");
        assertThat(ack.body().path("actor").asText()).isEqualTo("tomas");
        assertThat(ack.body().path("source").path("messageId").asText()).isEqualTo(mail.id(ACK));
        assertThat(ack.body().path("source").path("list").asText()).isEqualTo(LIST);
    }

    @Test
    void aShortenedDiffstatPathTiesAndADiffstatOutsideACoverLetterDoesNot() {
        Lists.peopleKnown();
        ListMail mail = ListMail.fresh();
        String header = "xen/include/public/io/pvcalls-" + mail.tag + ".h";
        Lists.proposalKnown(mail, List.of(header));

        // git cut the path from the left to fit its width: ".../public/io/pvcalls-<tag>.h" is all that is known of it.
        String v3 = mail.text("series-cover-letter.eml").replace("[PATCH v2 0/2]", "[PATCH v3 0/2]")
                .replace(" " + HEADER + " |", " .../public/io/pvcalls-" + mail.tag + ".h |");
        assertThat(v3).contains(" .../public/io/pvcalls-" + mail.tag + ".h | 12 ");
        post(v3.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("proposal", equalTo(mail.proposal))
                .body("outcome", equalTo("IGNORED")).body("reason", startsWith("nothing actionable"));

        // The same diffstat in a patch of the series (its diff lost) is only a summary: it touches nothing.
        String patch = mail.text("series-cover-letter.eml").replace("[PATCH v2 0/2]", "[PATCH v2 1/2]")
                .replace("-1-mara.kovac", "-2-mara.kovac").replace(HEADER, header);
        post(patch.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("proposal", nullValue())
                .body("outcome", equalTo("IGNORED")).body("reason", equalTo("maps to no proposal"));
        assertThat(REVIEW.callsAbout(mail.proposal)).isEmpty();
    }

    /** The resource for this test, with the header path of this test's proposal. */
    private static byte[] series(ListMail mail, String resource, String header) {
        return mail.text(resource).replace(HEADER, header).getBytes(StandardCharsets.UTF_8);
    }
}
