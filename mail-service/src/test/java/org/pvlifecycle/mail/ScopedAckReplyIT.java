package org.pvlifecycle.mail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.pvlifecycle.mail.Lists.ARM;
import static org.pvlifecycle.mail.Lists.X86;
import static org.pvlifecycle.mail.Lists.post;

/**
 * The reply to a maintainer whose scoped trailer gave no ack because its scope named none of the
 * components they maintain on the proposal (docs/mail.md, "Replies to senders"), through the real
 * SMTP server of the test JVM (GreenMail). The series touches both architectures, which Tomas
 * maintains (the policy of {@link Lists}); Ines maintains neither.
 */
@QuarkusTest
@QuarkusTestResource(MailTestResources.class)
class ScopedAckReplyIT {
    static final TestMailServers MAIL = MailTestResources.MAIL;
    static final String TOMAS = "Tomas Lind <tomas.lind@example.net>";
    static final String INES = "Ines Duarte <ines@example.org>";

    ListMail mail;

    @BeforeEach
    void aSeriesTouchingBothArchitectures() {
        Lists.peopleKnown();
        mail = ListMail.fresh();
        Lists.proposalKnown(mail, List.of(X86, ARM), List.of("xen/arch/x86/hvm/vmsi.c", "xen/arch/arm/vpci.c"));
    }

    @Test
    void aScopeNamingNoneOfTheMaintainersComponentsGetsOneReplySayingWhyAndHowToAckEvenWhenTheMessageComesTwice() {
        byte[] tools = message(1, TOMAS, "Acked-by: " + TOMAS + " # tools");
        post(tools).statusCode(202).body("outcome", equalTo("IGNORED")).body("actions", hasSize(0));
        post(tools).statusCode(202).body("outcome", equalTo("DUPLICATE"));

        Map<String, String> reply = theOneReplyTo(1);
        assertThat(reply.get("to")).isEqualTo("tomas.lind@example.net");
        assertThat(reply.get("from")).contains("pv-lifecycle@lists.example.org");
        assertThat(reply.get("subject")).isEqualTo(mail.msixReplySubject());
        assertThat(reply.get("references")).isEqualTo("<" + mail.msixPatch() + "> <" + id(1) + ">");
        assertThat(reply.get("autoSubmitted")).isEqualTo("auto-replied");
        assertThat(reply.get("contentType")).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(reply.get("messageId")).startsWith("<pvl-reply.").endsWith("@lists.example.org>");
        String text = reply.get("text").replace("\r\n", "\n");
        assertThat(text.lines()).allMatch(line -> line.length() <= 72);
        assertThat(text).startsWith("Hello Tomas Lind,")
                .contains("  Acked-by: " + TOMAS + " # tools\n")
                .contains("\n  Acked-by: " + TOMAS + "\n");
        assertThat(flat(text)).contains("has a trailer that was not counted as an ack on proposal " + mail.proposal)
                .contains("Its scope, \"tools\", names none of the components you maintain on this proposal: " + X86
                        + " (X86 ARCHITECTURE) and " + ARM + " (ARM (W/ VIRTUALISATION EXTENSIONS) ARCHITECTURE).")
                .contains("such as \"# " + X86 + "\"")
                .contains("Nothing else in your message asked for an action");

        // Recorded as sent: later passes of the loop send nothing more, and the duplicate owed none.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> repliesTo(1).size() == 1);
    }

    @Test
    void theReplyToAMessageWhoseOtherTrailerCountedSaysTheRestIsAppliedAsUsual() {
        post(message(2, TOMAS, "Reviewed-by: " + TOMAS + " # xen/arch/arm/\nAcked-by: " + TOMAS + " # tools"))
                .statusCode(202).body("outcome", equalTo("APPLIED")).body("actions", hasSize(1))
                .body("actions[0].component", equalTo(ARM))
                .body("reason", containsString("\"# tools\" names none of the components"));

        String text = theOneReplyTo(2).get("text").replace("\r\n", "\n");
        assertThat(text).contains("  Acked-by: " + TOMAS + " # tools\n")
                .doesNotContain("# xen/arch/arm/");
        assertThat(flat(text)).contains("The rest of your message is applied as usual: Reviewed-by for " + ARM + ".");
    }

    @Test
    void anAckThatCountsForOneOfTheirComponentsAndOneFromSomeoneMaintainingNoneOweNoReply() {
        post(message(3, TOMAS, "Acked-by: " + TOMAS + " # x86")).statusCode(202).body("outcome", equalTo("APPLIED"))
                .body("actions", hasSize(1)).body("actions[0].component", equalTo(X86));
        post(message(4, INES, "Acked-by: " + INES + " # tools")).statusCode(202).body("outcome", equalTo("IGNORED"))
                .body("reason", containsString("they maintain none of"));
        // A reply that is owed goes out at once: one to a later message, sent, shows none were owed before it.
        post(message(5, TOMAS, "Acked-by: " + TOMAS + " # docs")).statusCode(202).body("outcome", equalTo("IGNORED"));
        theOneReplyTo(5);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> repliesTo(3).isEmpty() && repliesTo(4).isEmpty());

        assertThat(repliesTo(3)).isEmpty();
        assertThat(repliesTo(4)).isEmpty();
    }

    /** The single reply the SMTP server took for message {@code n}, once it has. */
    private Map<String, String> theOneReplyTo(int n) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> !repliesTo(n).isEmpty());
        List<Map<String, String>> replies = repliesTo(n);
        assertThat(replies).hasSize(1);
        return replies.get(0);
    }

    private List<Map<String, String>> repliesTo(int n) {
        return MAIL.sent().stream().filter(m -> ("<" + id(n) + ">").equals(m.get("inReplyTo"))).toList();
    }

    private String id(int n) {
        return "scoped-reply-" + n + "." + mail.tag + "@example.net";
    }

    /** A reply from {@code from} to patch 3 of the test's series, quoting both architectures' hunks, with {@code trailers}. */
    private byte[] message(int n, String from, String trailers) {
        return mail.msixReply(from, id(n), "Thu, 12 Mar 2026 10:1" + n + ":00 +0000", trailers);
    }

    /** The text with its line breaks as spaces: what a sentence says, however it was wrapped. */
    private static String flat(String text) {
        return text.replaceAll("\\s+", " ");
    }
}
