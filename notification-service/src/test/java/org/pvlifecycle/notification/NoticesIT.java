package org.pvlifecycle.notification;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.DecisionOverdue;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.ObjectionAnswered;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionLapsed;
import org.pvlifecycle.events.ObjectionOverruled;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.ObjectionWithdrawn;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.eventstore.SessionSql;
import org.pvlifecycle.testkit.OnVertx;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestSmtp;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pvlifecycle.notification.Notifications.deliveries;
import static org.pvlifecycle.notification.Notifications.newProposal;
import static org.pvlifecycle.notification.Notifications.subscribe;

/**
 * The notices people get without asking, from events of the real contract: each reaches the
 * people it concerns, by e-mail through a real SMTP server or by webhook, and no one else.
 * The reminder lead is PT3S in tests.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.class)
@QuarkusTestResource(SmtpTestResource.class)
class NoticesIT {
    static final String ALICE = TestTokens.mint("alice", "contributor");
    static final String BOB = TestTokens.mint("bob", "reviewer");
    static final String CAROL = TestTokens.mint("carol", "reviewer");
    static final String ZARA = TestTokens.mint("zara", "czar");
    static final String DAVE = TestTokens.mint("dave", "reviewer", "contributor");

    @Test
    void eachNoticeReachesThePeopleItConcernsAndNoOneElse() throws Exception {
        String p = newProposal();
        String secret = WebhookReceiver.secret("carol");
        try (WebhookReceiver carolHook = WebhookReceiver.answering(secret, 200)) {
            Map<String, Object> notices = Map.of("types", List.of("notices"), "proposal", p);
            for (var who : Map.of(ALICE, "alice", BOB, "bob", ZARA, "zara", DAVE, "dave").entrySet()) {
                subscribe(who.getKey(), Notifications.merge(notices, Map.of("channel", "EMAIL",
                        "target", who.getValue() + "@example.org")));
            }
            JsonPath carolSub = subscribe(CAROL, Notifications.merge(notices, Map.of("channel", "WEBHOOK",
                    "target", carolHook.url(), "secret", secret)));

            // The objection is read before the proposal that names its owner: the notice waits for it.
            String o1 = p + ".o1";
            TopicProbe.publish(raised(p, o1), "bob");
            TopicProbe.publish(new ProposalSubmitted(p, "Virtual sound", "A PV sound protocol", "alice",
                    List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice");
            TopicProbe.publish(new AckGiven(p, p + ".a1", Stage.DESIGN, AckKind.REVIEWED_BY, "linux-frontend"), "carol");
            assertThat(mails(p, "alice@example.org", 1).get(0).get("text")).contains("bob raised an objection " + o1 + " (ABI)");

            Instant respondBy = Instant.now().plusSeconds(7).truncatedTo(ChronoUnit.SECONDS);
            TopicProbe.publish(new ObjectionAnswered(p, o1, "The id is widened to 64 bits in revision 2.", respondBy),
                    "alice");
            List<Map<String, String>> bobs = mails(p, "bob@example.org", 2);
            Map<String, String> answered = withSubject(bobs, "Your objection was answered");
            assertThat(answered.get("subject")).isEqualTo("[pv-lifecycle] " + p + ": Your objection was answered");
            assertThat(answered.get("text")).contains("Deadline: " + respondBy)
                    .contains("alice answered objection " + o1 + ": The id is widened to 64 bits in revision 2.")
                    .contains("Reaffirm (POST /objections/" + o1 + "/reaffirmations) or withdraw it by " + respondBy)
                    .contains("View: http://localhost:8084/proposals/" + p);
            assertThat(answered.get("html")).contains("<a href=\"http://localhost:8084/proposals/" + p + "\">")
                    .contains("<time datetime=\"" + respondBy + "\">");
            Map<String, String> reminder = withSubject(bobs, "Your response to an answer is due soon");
            assertThat(reminder.get("text")).contains("Deadline: " + respondBy);

            TopicProbe.publish(new ObjectionLapsed(p, o1, respondBy), "consensus-service");
            assertThat(mails(p, "bob@example.org", 3).get(2).get("subject")).endsWith("Your objection lapsed");

            // An answered objection withdrawn before its reminder: the reminder is cancelled.
            String o2 = p + ".o2";
            Instant o2RespondBy = Instant.now().plusSeconds(12);
            TopicProbe.publish(raised(p, o2), "bob");
            TopicProbe.publish(new ObjectionAnswered(p, o2, "Documented in section ABI.", o2RespondBy), "alice");
            TopicProbe.publish(new ObjectionWithdrawn(p, o2, "Fine now."), "bob");
            String o3 = p + ".o3";
            TopicProbe.publish(raised(p, o3), "bob");
            TopicProbe.publish(new ObjectionOverruled(p, o3, "Out of scope for DESIGN."), "zara");
            assertThat(mails(p, "alice@example.org", 3)).extracting(m -> m.get("subject"))
                    .containsOnly("[pv-lifecycle] " + p + ": An objection was raised against your proposal");
            // Sent side by side, these two may arrive in either order.
            assertThat(mails(p, "bob@example.org", 5).subList(3, 5)).extracting(m -> m.get("subject"))
                    .containsExactlyInAnyOrder("[pv-lifecycle] " + p + ": Your objection was answered",
                            "[pv-lifecycle] " + p + ": Your objection was overruled");
            assertThat(mails(p, "bob@example.org", 5)).anySatisfy(m -> assertThat(m.get("text"))
                    .contains("zara overruled objection " + o3 + ": Out of scope for DESIGN."));

            Instant windowEnds = Instant.now().plus(Duration.ofDays(14)).truncatedTo(ChronoUnit.SECONDS);
            TopicProbe.publish(new EligibilityChanged(p, Stage.DESIGN, false, List.of(), windowEnds, windowEnds, null, 1),
                    "consensus-service");
            await().atMost(Duration.ofSeconds(30)).until(() -> carolHook.received.size() == 1);
            WebhookReceiver.Received window = carolHook.received.get(0);
            assertThat(window.signatureValid()).isTrue();
            JsonPath notice = JsonPath.from(window.body());
            assertThat(notice.getString("notice")).isEqualTo("WINDOW_OPENED");
            assertThat(notice.getString("deadline")).isEqualTo(windowEnds.toString());
            assertThat(notice.getString("link")).isEqualTo("http://localhost:8084/proposals/" + p);
            assertThat(notice.getString("event.type")).isEqualTo("pv.consensus.eligibility-changed.v1");
            assertThat(mails(p, "bob@example.org", 6).get(5).get("subject"))
                    .endsWith("A review window opened on a proposal you review");

            // Eligible twice in a row (a blocker list changing, say): the Czar hears it once.
            TopicProbe.publish(new EligibilityChanged(p, Stage.DESIGN, true, List.of(), windowEnds, null, null, 1),
                    "consensus-service");
            TopicProbe.publish(new EligibilityChanged(p, Stage.DESIGN, true, List.of(), windowEnds, null, null, 2),
                    "consensus-service");
            TopicProbe.publish(new DecisionOverdue(p, Stage.DESIGN, Instant.now().minusSeconds(60), Instant.now()),
                    "consensus-service");
            assertThat(mails(p, "zara@example.org", 2)).extracting(m -> m.get("subject")).containsExactlyInAnyOrder(
                    "[pv-lifecycle] " + p + ": A proposal is eligible for your decision",
                    "[pv-lifecycle] " + p + ": A decision is overdue");

            TopicProbe.publish(new StageAdvanced(p, Stage.DESIGN, Stage.PROTOTYPE, UUID.randomUUID().toString(),
                    DecisionKind.CZAR, "zara", false, "Ready."), "zara");
            assertThat(mails(p, "alice@example.org", 4).get(3).get("subject")).endsWith("Your proposal advanced");

            // Past the withdrawn objection's reminder time, and then some: nothing more for anyone.
            await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(o2RespondBy.plusSeconds(1)));
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            assertThat(mails(p, "alice@example.org", 4)).hasSize(4);
            assertThat(mails(p, "bob@example.org", 6)).hasSize(6);
            assertThat(mails(p, "zara@example.org", 2)).hasSize(2);
            assertThat(mailsTo(p, "dave@example.org")).isEmpty();
            assertThat(carolHook.received).hasSize(1);
            assertThat(deliveries(CAROL, carolSub.getString("id"))).singleElement()
                    .satisfies(d -> assertThat(d).containsEntry("notice", "WINDOW_OPENED")
                            .containsEntry("status", "DELIVERED"));
            assertThat(deliveries(BOB, "")).filteredOn(d -> p.equals(d.get("proposalId")))
                    .filteredOn(d -> "CANCELLED".equals(d.get("status"))).singleElement()
                    .satisfies(d -> assertThat(d).containsEntry("notice", "RESPONSE_DUE_SOON"));
        }
    }

    /**
     * Notices read before what names their addressee wait for it, however much of the proposal is
     * known already: an eligibility change read first makes the proposal known without its owner,
     * and the objection's notice to the owner still waits for the submission. A lapse (on the
     * consensus topic) read before the objection it ends (on the review topic) waits for the
     * objection's author. Each is delivered once its addressee is learnt, and once only; the list,
     * which is everyone, gets each notice at once.
     */
    @Test
    void noticesWaitForTheirAddresseeAndReachThemOnceItIsLearnt() {
        String p = newProposal();
        String o1 = p + ".o1";
        Map<String, Object> notices = Map.of("types", List.of("notices"), "proposal", p);
        subscribe(BOB, Notifications.merge(notices, Map.of("channel", "EMAIL", "target", "bob@example.org")));
        subscribe(ALICE, Notifications.merge(notices, Map.of("channel", "EMAIL", "target", "alice@example.org")));
        Notifications.subscribe(Notifications.OPS, Notifications.merge(notices, Map.of("channel", "LIST",
                "target", ListIT.LIST)));

        Instant windowEnds = Instant.now().plus(Duration.ofDays(14)).truncatedTo(ChronoUnit.SECONDS);
        TopicProbe.publish(new EligibilityChanged(p, Stage.DESIGN, false, List.of(), windowEnds, windowEnds, null, 1),
                "consensus-service");
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from proposal_facts where proposal_id = $1 and owner is null", p) == 1);
        TopicProbe.publish(new ObjectionLapsed(p, o1, Instant.now()), "consensus-service");
        await().atMost(Duration.ofSeconds(30)).until(() -> waiting(o1, "OBJECTION_AUTHOR") == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> listDeliveries(p, "OBJECTION_LAPSED") == 1);

        TopicProbe.publish(raised(p, o1), "bob");
        assertThat(mails(p, "bob@example.org", 1).get(0).get("subject")).endsWith("Your objection lapsed");
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting(o1, "OBJECTION_AUTHOR") == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting(o1, "OWNER") == 1);
        assertThat(listDeliveries(p, "OBJECTION_RAISED")).isEqualTo(1);
        assertThat(mailsTo(p, "alice@example.org")).isEmpty();

        TopicProbe.publish(new ProposalSubmitted(p, "Virtual sound", "A PV sound protocol", "alice",
                List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice");
        assertThat(mails(p, "alice@example.org", 1).get(0).get("subject"))
                .endsWith("An objection was raised against your proposal");
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting(o1, "OWNER") == 0);
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        assertThat(mailsTo(p, "bob@example.org")).hasSize(1);
        assertThat(mailsTo(p, "alice@example.org")).hasSize(1);
        assertThat(listDeliveries(p, "OBJECTION_LAPSED")).as("the list's notices were planned at once, not again")
                .isEqualTo(1);
        assertThat(listDeliveries(p, "OBJECTION_RAISED")).isEqualTo(1);
    }

    /**
     * A window on a new proposal, which nobody has reviewed yet, reaches the maintainers of its
     * components as the newest policy names them, by webhook, and nobody who maintains nothing of
     * it; also when the window is read before the submission that names the components. A newer
     * policy that drops a maintainer stops their notices, and an older policy read after it (a
     * replay, a late copy) brings nobody back. Names are this test's own, and the policy versions
     * follow whatever version is kept, since the policy is one for every test of the JVM.
     */
    @Test
    void aWindowReachesTheMaintainersOfTheProposalsComponentsAsTheNewestPolicyNamesThem() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String component = "sound-" + run;
        String mia = "mia-" + run;
        String olaf = "olaf-" + run;
        String ann = "ann-" + run;
        try (WebhookReceiver miaHook = WebhookReceiver.answering(WebhookReceiver.secret(mia), 200);
             WebhookReceiver olafHook = WebhookReceiver.answering(WebhookReceiver.secret(olaf), 200);
             WebhookReceiver annHook = WebhookReceiver.answering(WebhookReceiver.secret(ann), 200)) {
            for (var who : Map.of(mia, miaHook, olaf, olafHook, ann, annHook).entrySet()) {
                subscribe(TestTokens.mint(who.getKey(), "reviewer"), Map.of("channel", "WEBHOOK",
                        "target", who.getValue().url(), "types", List.of("notices"),
                        "secret", WebhookReceiver.secret(who.getKey())));
            }
            long kept = count("select coalesce(max(version), 1) from policy_version");
            // Mia maintains the component, and so does Ann, who owns the first proposal: she asked
            // for its review and is not asked to review it. Olaf maintains another one only.
            Map<String, List<String>> miaMaintains = Map.of(component, List.of(mia, ann), "net-" + run, List.of(olaf));
            awaitApplied(TopicProbe.publish(policy(kept + 1, miaMaintains), "zara"));

            String p1 = newProposal();
            TopicProbe.publish(submitted(p1, component, ann), ann);
            TopicProbe.publish(windowOpened(p1, kept + 1), "consensus-service");
            assertThat(windowsOn(miaHook, p1, 1)).singleElement()
                    .satisfies(w -> assertThat(w.signatureValid()).isTrue());

            // Read before the submission, the window waits for the components to reach Mia.
            String p2 = newProposal();
            TopicProbe.publish(windowOpened(p2, kept + 1), "consensus-service");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(
                    "select count(*) from unaddressed_notices where proposal_id = $1 and audience = 'REVIEWERS'", p2) == 1);
            TopicProbe.publish(submitted(p2, component), "alice");
            assertThat(windowsOn(miaHook, p2, 1)).hasSize(1);

            // The component passes to Olaf; the older policy, read again after it, changes nothing.
            awaitApplied(TopicProbe.publish(policy(kept + 2, Map.of(component, List.of(olaf))), "zara"));
            awaitApplied(TopicProbe.publish(policy(kept + 1, miaMaintains), "zara"));
            String p3 = newProposal();
            TopicProbe.publish(submitted(p3, component), "alice");
            TopicProbe.publish(windowOpened(p3, kept + 2), "consensus-service");
            assertThat(windowsOn(olafHook, p3, 1)).hasSize(1);

            await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            assertThat(windowsOn(miaHook, p3, 0)).as("a maintainer the newest policy dropped").isEmpty();
            assertThat(windowsOn(olafHook, p1, 0)).as("a maintainer of another component").isEmpty();
            assertThat(windowsOn(olafHook, p2, 0)).isEmpty();
            assertThat(windowsOn(annHook, p1, 0)).as("the owner, a maintainer too").isEmpty();
            assertThat(windowsOn(annHook, p2, 1)).as("a maintainer of another's proposal").hasSize(1);
            assertThat(miaHook.received).hasSize(2);
            assertThat(olafHook.received).hasSize(1);
        }
    }

    static PolicyChanged policy(long version, Map<String, List<String>> maintainers) {
        return new PolicyChanged(version, Map.of(Stage.DESIGN, Duration.ofDays(14), Stage.PROTOTYPE,
                Duration.ofDays(14), Stage.PRODUCTION, Duration.ofDays(28)), Duration.ofDays(3), Duration.ofDays(7),
                Duration.ofDays(7), false, false, maintainers);
    }

    static ProposalSubmitted submitted(String p, String component) {
        return submitted(p, component, "alice");
    }

    static ProposalSubmitted submitted(String p, String component, String owner) {
        return new ProposalSubmitted(p, "Virtual sound", "A PV sound protocol", owner, List.of(component), 1,
                "# ABI", List.of(), List.of());
    }

    static EligibilityChanged windowOpened(String p, long policyVersion) {
        Instant windowEnds = Instant.now().plus(Duration.ofDays(14)).truncatedTo(ChronoUnit.SECONDS);
        return new EligibilityChanged(p, Stage.DESIGN, false, List.of(), windowEnds, windowEnds, null, policyVersion);
    }

    /** Waits until this service has applied the event (its consumer's inbox holds it). */
    static void awaitApplied(String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from inbox where event_id = $1", UUID.fromString(eventId)) == 1);
    }

    /** Waits for at least {@code count} WINDOW_OPENED notices about the proposal at the hook; returns them. */
    static List<WebhookReceiver.Received> windowsOn(WebhookReceiver hook, String proposal, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> windows(hook, proposal).size() >= count);
        return windows(hook, proposal);
    }

    static List<WebhookReceiver.Received> windows(WebhookReceiver hook, String proposal) {
        return hook.received.stream().filter(r -> {
            JsonPath notice = JsonPath.from(r.body());
            return "WINDOW_OPENED".equals(notice.getString("notice")) && proposal.equals(notice.getString("proposalId"));
        }).toList();
    }

    /** The notices about the objection waiting for their addressee ({@code audience}). */
    static long waiting(String objectionId, String audience) {
        return count("select count(*) from unaddressed_notices where objection_id = $1 and audience = $2",
                objectionId, audience);
    }

    /** The list's deliveries of the notice about the proposal. */
    static long listDeliveries(String proposal, String notice) {
        return count("select count(*) from deliveries d join subscriptions s on s.id = d.subscription_id "
                + "where d.proposal_id = $1 and s.channel = 'LIST' and d.notice = $2", proposal, notice);
    }

    static long count(String sql, Object... parameters) {
        return ((Number) OnVertx.await(() -> SessionSql.select(sql, parameters)).get(0)[0]).longValue();
    }

    static Map<String, String> withSubject(List<Map<String, String>> mails, String ending) {
        return mails.stream().filter(m -> m.get("subject").endsWith(ending)).findFirst()
                .orElseThrow(() -> new AssertionError("no mail ending \"" + ending + "\" in " + mails));
    }

    static ObjectionRaised raised(String p, String oid) {
        return new ObjectionRaised(p, oid, Stage.DESIGN, ObjectionCategory.ABI, "ABI",
                "The request id is 32 bits wide but the ring is larger.", false);
    }

    /** Waits for at least {@code count} messages to the address about the proposal; returns them in order. */
    static List<Map<String, String>> mails(String proposal, String to, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(proposal, to).size() >= count);
        return mailsTo(proposal, to);
    }

    static List<Map<String, String>> mailsTo(String proposal, String to) {
        return TestSmtp.received().stream()
                .filter(m -> m.get("to").contains(to) && m.get("subject").contains(proposal)).toList();
    }
}
