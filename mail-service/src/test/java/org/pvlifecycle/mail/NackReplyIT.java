package org.pvlifecycle.mail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.pvlifecycle.mail.Lists.post;

/**
 * The reply to the sender of a NACK rejected as not specific (SPEC §6: "the sender gets a reply
 * saying what the process asks for"), through a real SMTP server in the test JVM (GreenMail).
 */
@QuarkusTest
@QuarkusTestResource(MailTestResources.class)
class NackReplyIT {
    static final TestMailServers MAIL = MailTestResources.MAIL;
    static final String NACK = "f00dfeed-0042-4c1a-9d2e-3b4c5d6e7f80@example.org";

    ListMail mail;

    @BeforeEach
    void aProposalOfItsOwn() {
        mail = Lists.freshProposal();
    }

    @Test
    void theSenderGetsOneReplyInTheNackThreadSayingWhatAnObjectionNeedsEvenWhenTheNackComesTwice() {
        byte[] vague = vagueNack();
        post(vague).statusCode(202).body("outcome", equalTo("REJECTED"));
        post(vague).statusCode(202).body("outcome", equalTo("DUPLICATE"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> !replies().isEmpty());
        Map<String, String> reply = replies().get(0);
        assertThat(reply.get("to")).isEqualTo("ines@example.org");
        assertThat(reply.get("from")).contains("pv-lifecycle@lists.example.org");
        assertThat(reply.get("subject")).isEqualTo("Re: [PATCH v2 " + mail.proposal
                + " 2/3] xen/public: pvcalls: add a flags field for multiple data rings");
        assertThat(reply.get("references")).isEqualTo("<" + mail.id("20260303091244.11873-1-mara.kovac@example.com") + "> <"
                + mail.id("20260303091244.11873-3-mara.kovac@example.com") + "> <" + mail.id(NACK) + ">");
        assertThat(reply.get("autoSubmitted")).isEqualTo("auto-replied");
        assertThat(reply.get("contentType")).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(reply.get("messageId")).startsWith("<pvl-reply.").endsWith("@lists.example.org>");
        assertThat(reply.get("text").replace("\r\n", "\n")).startsWith("Hello Ines Duarte,")
                .contains("not taken as an objection to proposal " + mail.proposal)
                .contains("gives 3 characters of reason")
                .contains("specific and\ntechnical").contains("at least 30 characters")
                .contains("NACK [ABI]:").contains("POST /proposals/" + mail.proposal + "/objections");

        // Recorded as sent: later passes of the loop send nothing more.
        sleep(Duration.ofSeconds(3));
        assertThat(replies()).hasSize(1);
    }

    @Test
    void whileTheSmtpServerIsAwayThePostIsAnsweredAndTheReplyGoesOutWhenItIsBack() {
        MAIL.stopSmtp();
        try {
            // The decision is answered, not an error: the reply is owed, and sending it is the loop's.
            // (No bound on the answer's time: on a loaded machine any bound is a guess.)
            post(vagueNack()).statusCode(202).body("outcome", equalTo("REJECTED"));
            assertThat(replies()).isEmpty();
            // At least one attempt fails meanwhile (retries from 0.2 s, at most 1 s apart in tests).
            sleep(Duration.ofSeconds(2));
        } finally {
            MAIL.startSmtp();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> replies().size() == 1);
    }

    /** The NACK of the test thread with its reason cut to "no.": too short to be an objection. */
    private byte[] vagueNack() {
        return mail.text("reply-nack-abi.eml").replaceFirst("(?s)NACK \\[ABI\\]:.*?version\\.\n", "NACK: no.\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The replies to this test's NACK that the SMTP server took. */
    private List<Map<String, String>> replies() {
        return MAIL.sent().stream().filter(m -> ("<" + mail.id(NACK) + ">").equals(m.get("inReplyTo"))).toList();
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
