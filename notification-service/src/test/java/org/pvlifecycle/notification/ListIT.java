package org.pvlifecycle.notification;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestSmtp;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.pvlifecycle.notification.Notifications.ALICE;
import static org.pvlifecycle.notification.Notifications.OPS;
import static org.pvlifecycle.notification.Notifications.deliveries;
import static org.pvlifecycle.notification.Notifications.newProposal;
import static org.pvlifecycle.notification.Notifications.subscribe;

/**
 * The mailing list channel against the test JVM's real SMTP server: a proposal's notices reach the
 * list as replies in its thread, at most one message per interval (PT8S in tests), notices within
 * the interval together in one message.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@QuarkusTestResource(SmtpTestResource.class)
class ListIT {
    static final String LIST = "xen-devel@lists.xenproject.org";
    static final Duration INTERVAL = Duration.ofSeconds(8);

    @Test
    void onlyAnOperatorSubscribesTheListAndOnlyTheConfiguredOne() {
        given().header("Authorization", ALICE).contentType("application/json")
                .body(Map.of("channel", "LIST", "types", List.of("notices")))
                .when().post("/subscriptions").then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", OPS).contentType("application/json")
                .body(Map.of("channel", "LIST", "target", "someone@example.org", "types", List.of("notices")))
                .when().post("/subscriptions").then().statusCode(422).body("errors.field", contains("target"));
        given().header("Authorization", ALICE).contentType("application/json")
                .body(Map.of("channel", "EMAIL", "types", List.of("notices")))
                .when().post("/subscriptions").then().statusCode(422).body("errors.field", contains("target"));
        assertThat(subscribe(OPS, Map.of("channel", "LIST", "types", List.of("notices"), "proposal", newProposal()))
                .getString("target")).isEqualTo(LIST);
    }

    @Test
    void aProposalsNoticesGoToItsThreadAtMostOncePerIntervalAndTogether() {
        String p = newProposal();
        // The submission itself too (by its type), so that the first message knows the title: the topics are
        // read independently, and a notice read before the submission would name the proposal by its id.
        String sid = subscribe(OPS, Map.of("channel", "LIST", "types", List.of("notices", "pv.proposal.submitted.v1"),
                "proposal", p)).getString("id");
        TopicProbe.publish(new ProposalSubmitted(p, "Virtual sound", "A PV sound protocol", "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice");

        // No message about the proposal yet: the first starts its thread, and its Message-ID is the root.
        Map<String, String> first = messages(p, 1).get(0);
        assertThat(first.get("subject")).isEqualTo("[pv-lifecycle " + p + "] Virtual sound");
        assertThat(first).doesNotContainKeys("in-reply-to", "references");
        assertThat(first.get("message-id")).matches("<[^<>@]+@pv-lifecycle>");
        assertThat(first.get("text")).startsWith("A notice about proposal " + p + " (\"Virtual sound\")")
                .contains("1. pv.proposal.submitted.v1")
                .contains("   > alice submitted \"Virtual sound\"")
                .contains("No eligibility has been computed for it yet.")
                .contains("Dashboard: http://localhost:8084/proposals/" + p);
        String root = first.get("message-id");
        Instant firstAt = attempts(sid).get(0);

        // Three notices within the interval wait, and go together in one message when it ends.
        Instant windowEnds = Instant.now().plus(Duration.ofDays(14)).truncatedTo(ChronoUnit.SECONDS);
        String o1 = p + ".o1";
        TopicProbe.publish(new ObjectionRaised(p, o1, Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The request id is 32 bits wide but the ring is larger.", false), "bob");
        TopicProbe.publish(new ObjectionOverruled(p, o1, "Out of scope for DESIGN."), "zara");
        TopicProbe.publish(new EligibilityChanged(p, Stage.DESIGN, false, List.of(new Blocker("WINDOW_OPEN",
                "The review window is open until " + windowEnds, null, null, null, null, null, windowEnds)),
                windowEnds, windowEnds, null, 1), "consensus-service");
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(OPS, sid).size() == 4);
        assertThat(messages(p, 1)).hasSize(1);
        Map<String, String> second = messages(p, 2).get(1);
        assertThat(second.get("subject")).isEqualTo("Re: [pv-lifecycle " + p + "] Virtual sound");
        assertThat(second.get("in-reply-to")).isEqualTo(root);
        assertThat(second.get("references")).isEqualTo(root);
        assertThat(second.get("text")).startsWith("3 notices about proposal " + p)
                .contains("   > bob raised an objection " + o1 + " (ABI)")
                .contains("   Who must act: the proposal's owner")
                .contains("zara overruled objection " + o1 + ": Out of scope for DESIGN.")
                .contains("A review window opened on a proposal you review")
                .contains("   Who must act: the reviewers of the proposal")
                .contains("   Deadline: " + windowEnds)
                .contains("it is not eligible to leave DESIGN. What blocks it, and who must act:")
                .contains("- The review window is open until " + windowEnds + ": reviewers ack")
                .contains("Review window ends: " + windowEnds);
        List<Instant> sent = attempts(sid);
        assertThat(sent).hasSize(4);
        assertThat(sent.get(1)).as("held for the interval").isAfterOrEqualTo(firstAt.plus(INTERVAL));
        assertThat(sent.subList(1, 4)).as("in the same message").containsOnly(sent.get(1));

        // Past the interval, a new notice goes at once, in the same thread.
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(sent.get(1).plus(INTERVAL)));
        Instant published = Instant.now();
        TopicProbe.publish(new DecisionOverdue(p, Stage.DESIGN, Instant.now().minusSeconds(60), Instant.now()),
                "consensus-service");
        Map<String, String> third = messages(p, 3).get(2);
        assertThat(third.get("in-reply-to")).isEqualTo(root);
        assertThat(third.get("references")).isEqualTo(root);
        assertThat(third.get("text")).startsWith("A notice about proposal " + p).contains("A decision is overdue");
        assertThat(attempts(sid).get(4)).as("not held").isBefore(published.plus(INTERVAL));
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        assertThat(messages(p, 3)).hasSize(3);
        assertThat(deliveries(OPS, sid)).allSatisfy(d -> assertThat(d).containsEntry("status", "DELIVERED"));
    }

    @Test
    void theThreadRepliesToTheFirstListMessageTheMailBridgeActedOn() {
        String p = newProposal();
        subscribe(OPS, Map.of("channel", "LIST", "types", List.of("notices"), "proposal", p));
        Source ack = Source.mail("ack-1." + p + "@example.org", "xen-devel.lists.xenproject.org");
        Source nack = Source.mail("nack-2." + p + "@example.org", "xen-devel.lists.xenproject.org");
        TopicProbe.publish(new AckGiven(p, p + ".a1", Stage.DESIGN, AckKind.ACKED_BY, "linux-frontend", ack), "carol");
        TopicProbe.publish(new ObjectionRaised(p, p + ".o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The ring size is not negotiated.", false, nack), "dave");

        Map<String, String> message = messages(p, 1).get(0);
        // Its title is not known here (no submitted): the subject names the proposal's id.
        assertThat(message.get("subject")).isEqualTo("Re: [pv-lifecycle " + p + "] " + p);
        assertThat(message.get("in-reply-to")).isEqualTo("<" + ack.messageId() + ">");
        assertThat(message.get("references")).isEqualTo("<" + ack.messageId() + ">");
        assertThat(message.get("text")).contains("dave raised an objection " + p + ".o1");
    }

    /** Waits for at least {@code count} messages to the list about the proposal; returns them in order. */
    static List<Map<String, String>> messages(String proposal, int count) {
        await().atMost(Duration.ofSeconds(40)).until(() -> toTheList(proposal).size() >= count);
        return toTheList(proposal);
    }

    static List<Map<String, String>> toTheList(String proposal) {
        return TestSmtp.received().stream()
                .filter(m -> m.get("to").contains(LIST) && m.get("subject").contains("[pv-lifecycle " + proposal + "]"))
                .toList();
    }

    /** When each of the subscription's deliveries was sent (its last attempt), oldest first. */
    @SuppressWarnings("unchecked")
    static List<Instant> attempts(String subscription) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(OPS, subscription).stream()
                .allMatch(d -> "DELIVERED".equals(d.get("status"))));
        return deliveries(OPS, subscription).stream()
                .map(d -> (List<Map<String, Object>>) d.get("attemptLog"))
                .map(log -> Instant.parse((String) log.get(log.size() - 1).get("at")))
                .sorted(Comparator.naturalOrder()).toList();
    }
}
