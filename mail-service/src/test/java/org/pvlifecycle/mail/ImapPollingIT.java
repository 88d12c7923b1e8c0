package org.pvlifecycle.mail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.mail.Lists.READER;

/**
 * The IMAP mailbox polled instead of {@code POST /messages}: a real IMAP server in the test JVM
 * (GreenMail), polled every second (MailTestResources). Messages delivered to it go the way of a
 * posted message, and are marked seen once their outcome is recorded.
 */
@QuarkusTest
@QuarkusTestResource(MailTestResources.class)
class ImapPollingIT {
    static final TestMailServers MAIL = MailTestResources.MAIL;
    static final ReviewStandIn REVIEW = MailTestResources.REVIEW;
    static final String REVIEWED_BY = "a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d@example.net";
    static final String COVER = "20260303091244.11873-1-mara.kovac@example.com";

    ListMail mail;

    @BeforeEach
    void aProposalOfItsOwn() {
        mail = Lists.freshProposal();
    }

    @Test
    void deliveredMessagesAreAppliedWithTheirOutcomeMarkedSeenAndADuplicateDeliveryActsOnce() {
        MAIL.deliver(mail.bytes("cover-letter.eml"));
        MAIL.deliver(mail.bytes("reply-reviewed-by.eml"));
        // The list delivering a message twice (a resend, a second subscription).
        MAIL.deliver(mail.bytes("reply-reviewed-by.eml"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> MAIL.seen(mail.id(COVER)).equals(List.of("true"))
                        && MAIL.seen(mail.id(REVIEWED_BY)).equals(List.of("true", "true")));
        JsonPath received = Lists.messagesOf(mail.proposal);
        assertThat(received.getList("items.messageId")).containsExactly(mail.id(REVIEWED_BY), mail.id(COVER));
        assertThat(received.getString("items[0].outcome")).isEqualTo("APPLIED");
        assertThat(received.getString("items[0].actions[0].kind")).isEqualTo("ACK");
        assertThat(received.getString("items[0].actions[0].actor")).isEqualTo("tomas");
        assertThat(received.getString("items[1].outcome")).isEqualTo("IGNORED");
        assertThat(received.getString("items[1].reason")).startsWith("nothing actionable");
        assertThat(REVIEW.callsAbout(mail.proposal)).extracting(ReviewStandIn.Call::path)
                .containsExactly("/proposals/" + mail.proposal + "/acks");

        // Later polls find nothing unseen and do nothing more.
        sleep(Duration.ofSeconds(3));
        assertThat(REVIEW.callsAbout(mail.proposal)).hasSize(1);
        assertThat(Lists.messagesOf(mail.proposal).getList("items.outcome")).containsExactly("APPLIED", "IGNORED");
        assertThat(MAIL.seen(mail.id(REVIEWED_BY))).containsExactly("true", "true");
    }

    @Test
    void anImapServerAwayIsTriedAgainAndWhatArrivesOnceItIsBackIsTaken() {
        MAIL.stopImap();
        try {
            // A few polls fail meanwhile; the service stays up and answers.
            sleep(Duration.ofMillis(2500));
            given().header("Authorization", READER).when().get("/q/health/live").then().statusCode(200);
        } finally {
            MAIL.startImap();
        }
        MAIL.deliver(mail.bytes("reply-reviewed-by.eml"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> MAIL.seen(mail.id(REVIEWED_BY)).equals(List.of("true")));
        assertThat(Lists.messagesOf(mail.proposal).getString("items[0].outcome")).isEqualTo("APPLIED");
    }



    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
