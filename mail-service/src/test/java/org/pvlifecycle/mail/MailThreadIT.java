package org.pvlifecycle.mail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.mail.ReviewStandIn.Call;
import org.pvlifecycle.testkit.TopicProbe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.pvlifecycle.mail.Lists.LIST;
import static org.pvlifecycle.mail.Lists.READER;
import static org.pvlifecycle.mail.Lists.post;

/**
 * The pvcalls-v2 thread of the test resources, sent to the service as the list delivers it: the
 * commands it sends to the review service (a stand-in on loopback that records them) on behalf of
 * each sender, naming the message, and what it answers for each message.
 */
@QuarkusTest
@QuarkusTestResource(MailTestResources.class)
class MailThreadIT {
    static final ReviewStandIn REVIEW = MailTestResources.REVIEW;
    static final String REVIEWED_BY = "a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d@example.net";
    static final String NACK = "f00dfeed-0042-4c1a-9d2e-3b4c5d6e7f80@example.org";
    static final String ANSWER = "CAMk0vAQ7x=owner-answer-1@mail.example.com";
    static final String WITHDRAWAL = "0badc0de-1111-4222-8333-944455556666@example.org";

    ListMail mail;

    @BeforeEach
    void aProposalOfItsOwn() {
        mail = Lists.freshProposal();
    }

    @Test
    void aMaintainersReviewedByInThePatchThreadBecomesAnAckOnTheirBehalfNamingTheMessage() {
        post(mail.bytes("cover-letter.eml")).statusCode(202).body("outcome", equalTo("IGNORED"))
                .body("proposal", equalTo(mail.proposal)).body("reason", startsWith("nothing actionable"))
                .body("actions", hasSize(0));
        post(mail.bytes("patch-1-pvcalls-doc.eml")).statusCode(202).body("outcome", equalTo("IGNORED"))
                .body("proposal", equalTo(mail.proposal));
        post(mail.bytes("reply-reviewed-by.eml")).statusCode(202)
                .body("messageId", equalTo(mail.id(REVIEWED_BY))).body("proposal", equalTo(mail.proposal))
                .body("outcome", equalTo("APPLIED")).body("actions", hasSize(1))
                .body("actions[0].kind", equalTo("ACK")).body("actions[0].actor", equalTo("tomas"))
                .body("actions[0].ackKind", equalTo("REVIEWED_BY")).body("actions[0].component", equalTo("linux-frontend"))
                .body("actions[0].state", equalTo("DONE")).body("actions[0].result", equalTo(mail.proposal + ".a1"))
                // The trailers that did not count say why.
                .body("reason", containsString("not the sender"));

        List<Call> calls = REVIEW.callsAbout(mail.proposal);
        assertThat(calls).hasSize(1);
        Call ack = calls.get(0);
        assertThat(ack.method() + " " + ack.path()).isEqualTo("POST /proposals/" + mail.proposal + "/acks");
        assertThat(ack.authorization()).isEqualTo("Bearer " + MailTestResources.GATEWAY_TOKEN);
        assertThat(ack.contentType()).startsWith("application/json");
        assertThat(ack.body().path("kind").asText()).isEqualTo("REVIEWED_BY");
        assertThat(ack.body().path("component").asText()).isEqualTo("linux-frontend");
        assertThat(ack.body().path("actor").asText()).isEqualTo("tomas");
        assertSource(ack, REVIEWED_BY);
    }

    @Test
    void aNackOnAQuotedHunkRaisesAnObjectionWhichTheOwnerAnswersAndItsAuthorWithdraws() {
        post(mail.bytes("reply-nack-abi.eml")).statusCode(202).body("outcome", equalTo("APPLIED"))
                .body("actions[0].kind", equalTo("RAISE")).body("actions[0].actor", equalTo("ines"))
                .body("actions[0].category", equalTo("ABI"))
                .body("actions[0].section", equalTo("xen/include/public/io/pvcalls.h @@ -60,6 +60,7 @@"))
                .body("actions[0].result", equalTo(mail.proposal + ".o1"));
        post(mail.bytes("reply-owner-answer.eml")).statusCode(202).body("outcome", equalTo("APPLIED"))
                .body("actions[0].kind", equalTo("ANSWER")).body("actions[0].actor", equalTo("mara"))
                .body("actions[0].objection", equalTo(mail.proposal + ".o1"));
        post(mail.bytes("reply-withdraw.eml")).statusCode(202).body("outcome", equalTo("APPLIED"))
                .body("actions[0].kind", equalTo("WITHDRAW")).body("actions[0].actor", equalTo("ines"));

        List<Call> calls = REVIEW.callsAbout(mail.proposal);
        assertThat(calls).extracting(c -> c.method() + " " + c.path()).containsExactly(
                "POST /proposals/" + mail.proposal + "/objections",
                "POST /objections/" + mail.proposal + ".o1/answers",
                "POST /objections/" + mail.proposal + ".o1/withdrawal");
        Call raise = calls.get(0);
        assertThat(raise.body().path("category").asText()).isEqualTo(ObjectionCategory.ABI.name());
        assertThat(raise.body().path("section").asText()).isEqualTo("xen/include/public/io/pvcalls.h @@ -60,6 +60,7 @@");
        assertThat(raise.body().path("rationale").asText()).startsWith("the new field moves the union by four bytes");
        assertThat(raise.body().path("actor").asText()).isEqualTo("ines");
        assertSource(raise, NACK);
        assertThat(calls.get(1).body().path("actor").asText()).isEqualTo("mara");
        assertThat(calls.get(1).body().path("text").asText()).startsWith("You are right about the offset.");
        assertSource(calls.get(1), ANSWER);
        assertThat(calls.get(2).body().path("actor").asText()).isEqualTo("ines");
        assertSource(calls.get(2), WITHDRAWAL);
    }

    @Test
    void aNackWithoutASpecificReasonIsRejectedAndNothingIsSent() {
        String vague = mail.text("reply-nack-abi.eml").replaceFirst("(?s)NACK \\[ABI\\]:.*?version\\.\n", "NACK: no.\n");
        post(vague.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("outcome", equalTo("REJECTED"))
                .body("proposal", equalTo(mail.proposal)).body("reason", startsWith("not a specific technical objection"))
                .body("actions", hasSize(0));
        assertThat(REVIEW.callsAbout(mail.proposal)).isEmpty();
        given().header("Authorization", READER).queryParam("proposal", mail.proposal).queryParam("outcome", "rejected")
                .when().get("/messages").then().statusCode(200).body("items.messageId", contains(mail.id(NACK)));
    }

    @Test
    void theSameMessageTwiceActsOnce() {
        post(mail.bytes("reply-nack-abi.eml")).statusCode(202).body("outcome", equalTo("APPLIED"));
        post(mail.bytes("reply-nack-abi.eml")).statusCode(202).body("outcome", equalTo("DUPLICATE"))
                .body("messageId", equalTo(mail.id(NACK))).body("proposal", equalTo(mail.proposal))
                .body("reason", startsWith("seen before")).body("actions", hasSize(0));
        assertThat(REVIEW.callsAbout(mail.proposal)).hasSize(1);
    }

    @Test
    void theSameArchiveImportedTwiceActsOnce() {
        byte[] archive = mail.bytes("pvcalls-v2-thread.mboxrd");
        Lists.importArchive(archive).statusCode(202).body("messages", equalTo(3))
                .body("outcomes.IGNORED", equalTo(2)).body("outcomes.APPLIED", equalTo(1))
                .body("outcomes.DUPLICATE", equalTo(0)).body("refused", hasSize(0));
        Lists.importArchive(archive).statusCode(202).body("messages", equalTo(3))
                .body("outcomes.DUPLICATE", equalTo(3)).body("outcomes.APPLIED", equalTo(0));
        assertThat(REVIEW.callsAbout(mail.proposal)).extracting(Call::path)
                .containsExactly("/proposals/" + mail.proposal + "/objections");
    }

    @Test
    void anotherListIsIgnoredWhateverItSays() {
        String elsewhere = mail.text("reply-nack-abi.eml").replace("<xen-devel.lists.xenproject.org>", "<qemu-devel.nongnu.org>");
        post(elsewhere.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("outcome", equalTo("IGNORED"))
                .body("reason", startsWith("not from the configured list")).body("proposal", nullValue());
        assertThat(REVIEW.callsAbout(mail.proposal)).isEmpty();
    }

    @Test
    void whileTheReviewServiceIsAwayMessagesWaitPendingAndAreAppliedInOrderWhenItReturns() {
        REVIEW.away();
        try {
            post(mail.bytes("reply-nack-abi.eml")).statusCode(202).body("outcome", equalTo("PENDING"))
                    .body("reason", containsString("cannot be reached")).body("actions[0].state", equalTo("TODO"));
            // The answer's objection does not exist yet: it waits for the NACK, undecided.
            post(mail.bytes("reply-owner-answer.eml")).statusCode(202).body("outcome", equalTo("PENDING"))
                    .body("reason", startsWith("waits for " + mail.id(NACK)));
        } finally {
            REVIEW.back();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", READER)
                .queryParam("proposal", mail.proposal).queryParam("outcome", "APPLIED").when().get("/messages")
                .then().extract().jsonPath().getList("items").size() == 2);
        assertThat(REVIEW.callsAbout(mail.proposal)).extracting(c -> c.method() + " " + c.path()).containsExactly(
                "POST /proposals/" + mail.proposal + "/objections",
                "POST /objections/" + mail.proposal + ".o1/answers");
        given().header("Authorization", READER).queryParam("proposal", mail.proposal).when().get("/messages").then()
                .body("items.messageId", contains(mail.id(ANSWER), mail.id(NACK)))
                .body("items[0].actions[0].kind", equalTo("ANSWER"))
                .body("items[1].reason", nullValue());
    }

    @Test
    void whenTheReviewServiceRefusesAStepTheAcksTheMessageGaveAreTakenBackAndItIsRejected() {
        REVIEW.refuseObjectionsOn(mail.proposal, "proposal " + mail.proposal + " is STABLE");
        String ackAndNack = mail.text("reply-nack-abi.eml").replace("\nInes\n", "\nAcked-by: Ines Duarte <ines@example.org>\n\nInes\n");
        post(ackAndNack.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("outcome", equalTo("REJECTED"))
                .body("reason", startsWith("the review service refused RAISE: HTTP 409: proposal " + mail.proposal + " is STABLE"))
                .body("reason", containsString("the 1 ack(s) it gave were taken back"))
                .body("actions.kind", contains("ACK", "RAISE")).body("actions.state", contains("UNDONE", "REFUSED"));
        List<Call> calls = REVIEW.callsAbout(mail.proposal);
        assertThat(calls).extracting(c -> c.method() + " " + c.path()).containsExactly(
                "POST /proposals/" + mail.proposal + "/acks",
                "POST /proposals/" + mail.proposal + "/objections",
                "DELETE /proposals/" + mail.proposal + "/acks/" + mail.proposal + ".a1");
        assertThat(calls.get(2).body().path("actor").asText()).isEqualTo("ines");
        assertSource(calls.get(2), NACK);
    }

    @Test
    void aStepTheReviewServiceAlreadyTookForTheMessageIsNotSentAgain() {
        // As after a crash between the review service's answer and recording it: its event names the message.
        TopicProbe.publish(new ObjectionRaised(mail.proposal, mail.proposal + ".o7", Stage.DESIGN, ObjectionCategory.ABI,
                "xen/include/public/io/pvcalls.h", "The new field moves the union by four bytes.", false,
                Source.mail(mail.id(NACK), LIST)), "ines");
        Lists.awaitRow("select 1 from mail.mail_steps where message_id = ?", mail.id(NACK));
        post(mail.bytes("reply-nack-abi.eml")).statusCode(202).body("outcome", equalTo("APPLIED"))
                .body("actions[0].state", equalTo("DONE")).body("actions[0].result", equalTo(mail.proposal + ".o7"));
        assertThat(REVIEW.callsAbout(mail.proposal)).isEmpty();
    }

    @Test
    void anUnknownSenderActsAsTheirLowerCasedAddress() {
        String stranger = mail.text("reply-nack-abi.eml").replace("From: Ines Duarte <ines@example.org>",
                "From: Some One <Some.One@Example.ORG>");
        post(stranger.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("outcome", equalTo("APPLIED"))
                .body("actions[0].actor", equalTo("some.one@example.org"));
        assertThat(REVIEW.callsAbout(mail.proposal).get(0).body().path("actor").asText()).isEqualTo("some.one@example.org");
    }

    private void assertSource(Call call, String messageId) {
        assertThat(call.body().path("source").path("kind").asText()).isEqualTo("MAIL");
        assertThat(call.body().path("source").path("messageId").asText()).isEqualTo(mail.id(messageId));
        assertThat(call.body().path("source").path("list").asText()).isEqualTo(LIST);
    }
}
