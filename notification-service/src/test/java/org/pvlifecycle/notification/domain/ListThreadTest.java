package org.pvlifecycle.notification.domain;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.events.AckGiven;
import org.pvlifecycle.events.AckKind;
import org.pvlifecycle.events.Blocker;
import org.pvlifecycle.events.EligibilityChanged;
import org.pvlifecycle.events.EventEnvelope;
import org.pvlifecycle.events.EventType;
import org.pvlifecycle.events.LifecycleEvent;
import org.pvlifecycle.events.ObjectionCategory;
import org.pvlifecycle.events.ObjectionRaised;
import org.pvlifecycle.events.Source;
import org.pvlifecycle.events.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The list thread's rules on their own: when a message may go, what goes in it, and its words. */
class ListThreadTest {
    static final String P = "pvcalls-v2";
    static final Instant T0 = Instant.parse("2026-03-04T10:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);

    @Test
    void aMessageGoesAtOnceForANewThreadThenAtMostOncePerInterval() {
        assertThat(ListThread.mayPost(null, T0, HOUR)).isTrue();
        assertThat(ListThread.mayPost(T0, T0.plusSeconds(1), HOUR)).isFalse();
        assertThat(ListThread.mayPost(T0, T0.plus(HOUR).minusMillis(1), HOUR)).isFalse();
        assertThat(ListThread.mayPost(T0, T0.plus(HOUR), HOUR)).isTrue();
        assertThat(ListThread.heldUntil(T0, HOUR)).isEqualTo(T0.plus(HOUR));
        assertThat(ListThread.heldUntil(null, HOUR)).isNull();
    }

    @Test
    void theNextMessageTakesWhatIsDueAndWhatFailedBeforeButNotALaterReminder() {
        Instant now = T0.plusSeconds(10);
        assertThat(ListThread.goesInNext(T0, 0, now)).as("held since T0, due now").isTrue();
        assertThat(ListThread.goesInNext(now, 0, now)).isTrue();
        assertThat(ListThread.goesInNext(now.plusSeconds(30), 2, now)).as("its retry is later, it goes along").isTrue();
        assertThat(ListThread.goesInNext(now.plus(Duration.ofDays(1)), 0, now)).as("a reminder for tomorrow").isFalse();
    }

    @Test
    void theSubjectRepliesInTheProposalsThreadAndNamesItsTitleOrId() {
        assertThat(ListThread.subject(P, "PV calls,\n version 2", true))
                .isEqualTo("Re: [pv-lifecycle pvcalls-v2] PV calls, version 2");
        assertThat(ListThread.subject(P, null, true)).isEqualTo("Re: [pv-lifecycle pvcalls-v2] pvcalls-v2");
        assertThat(ListThread.subject(P, "PV calls", false)).isEqualTo("[pv-lifecycle pvcalls-v2] PV calls");
    }

    @Test
    void theBodyListsEachNoticeOnceWithWhoMustActAndDeadlinesQuotingWhatPeopleWrote() {
        Instant deadline = Instant.parse("2026-03-11T10:00:00.123Z");
        ListThread.Item raised = new ListThread.Item("An objection was raised against your proposal",
                "bob raised an objection pvcalls-v2.o1 (ABI) on section \"ABI\": too narrow\nNACK from me too",
                "the proposal's owner", "Answer the objection.", null, T0, "bob");
        ListThread.Item window = new ListThread.Item("A review window opened on a proposal you review",
                "The proposal is not eligible to leave DESIGN: 1 blocker.", "the reviewers of the proposal",
                "Review the proposal.", deadline, T0.plusSeconds(5), "consensus-service");
        String body = ListThread.body(P, "PV calls", List.of(raised, window, raised), "As of X it is eligible.",
                "https://pvl.example.org/proposals/pvcalls-v2");

        assertThat(body).startsWith("2 notices about proposal pvcalls-v2 (\"PV calls\") since the last message")
                .contains("1. An objection was raised against your proposal\n")
                .contains("2. A review window opened on a proposal you review\n")
                .contains("   Who must act: the proposal's owner\n")
                .contains("   Who must act: the reviewers of the proposal\n")
                .contains("   Deadline: 2026-03-11T10:00:00Z\n")
                .contains("   When: 2026-03-04T10:00:00Z (by bob)\n")
                .contains("Where it stands:\nAs of X it is eligible.\n")
                .contains("Dashboard: https://pvl.example.org/proposals/pvcalls-v2\n");
        // What people wrote is quoted, so the mail bridge reading the list takes no line of it as a NACK.
        assertThat(body).contains("   > NACK from me too\n");
        assertThat(body.lines()).noneMatch(line -> line.startsWith("NACK") || line.startsWith("Acked-by:"));
        assertThat(body.split("An objection was raised", -1)).hasSize(2);
        assertThat(ListThread.body(P, null, List.of(raised), null, "l"))
                .startsWith("A notice about proposal pvcalls-v2 since")
                .contains("No eligibility has been computed for it yet.");
    }

    @Test
    void whereItStandsSaysWhatBlocksWhoMustActAndTheDeadlines() {
        Instant until = Instant.parse("2026-03-18T09:00:00Z");
        EligibilityChanged blocked = new EligibilityChanged(P, Stage.DESIGN, false, List.of(
                new Blocker("WINDOW_OPEN", "The review window is open until 2026-03-18T09:00:00Z", null, null, null,
                        null, null, until),
                new Blocker("OBJECTION_BLOCKING", "Objection pvcalls-v2.o1 by carol is OPEN", "pvcalls-v2.o1", "carol",
                        null, null, null, null),
                new Blocker("ACK_MISSING", "No maintainer ack for linux-frontend", null, null, null, "linux-frontend",
                        null, null)),
                until, until, null, 3);
        assertThat(ListThread.standing(blocked, T0))
                .startsWith("As of 2026-03-04T10:00:00Z it is not eligible to leave DESIGN. What blocks it, and who must act:")
                .contains("- The review window is open until 2026-03-18T09:00:00Z: reviewers ack, or raise specific "
                        + "technical objections, by 2026-03-18T09:00:00Z.")
                .contains("- Objection pvcalls-v2.o1 by carol is OPEN: the proposal's owner answers it, or carol withdraws it.")
                .contains("- No maintainer ack for linux-frontend: a maintainer of linux-frontend acks it.")
                .contains("Review window ends: 2026-03-18T09:00:00Z")
                .contains("Next deadline: 2026-03-18T09:00:00Z");
        EligibilityChanged eligible = new EligibilityChanged(P, Stage.DESIGN, true, List.of(), null, null,
                Instant.parse("2026-03-20T00:00:00Z"), 3);
        assertThat(ListThread.standing(eligible, T0))
                .contains("it is eligible to leave DESIGN: the Czar decides the transition.")
                .contains("Decision overdue since: 2026-03-20T00:00:00Z");
    }

    @Test
    void theRootIsLearntOnlyFromEventsTheMailBridgeCaused() {
        Source mail = Source.mail("ack-1@example.org", "xen-devel.lists.xenproject.org");
        assertThat(ListThread.mailSource(new AckGiven(P, "a1", Stage.DESIGN, AckKind.ACKED_BY, "x", mail)))
                .isEqualTo(mail);
        assertThat(ListThread.mailSource(new AckGiven(P, "a1", Stage.DESIGN, AckKind.ACKED_BY, "x"))).isNull();
        assertThat(ListThread.mailSource(new EligibilityChanged(P, Stage.DESIGN, true, List.of(), null, null, null, 1)))
                .isNull();
    }

    @Test
    void anItemNamesWhoMustActForANoticeAndNoOneForAPlainEvent() {
        ObjectionRaised data = new ObjectionRaised(P, "o1", Stage.DESIGN, ObjectionCategory.ABI, "ABI", "narrow", false);
        EventEnvelope<LifecycleEvent> event = new EventEnvelope<>(UUID.randomUUID(), "/review-service",
                EventType.of(data), P, T0, 1, "bob", data);
        NoticeText.Rendered rendered = NoticeText.render(event, Notice.OBJECTION_RAISED, null, "o1", "l");
        ListThread.Item item = ListThread.item(event, Notice.OBJECTION_RAISED, Audience.OWNER, rendered);
        assertThat(item.whoMustAct()).isEqualTo("the proposal's owner");
        assertThat(item.title()).isEqualTo(Notice.OBJECTION_RAISED.title());
        assertThat(item.actor()).isEqualTo("bob");
        assertThat(ListThread.item(event, null, null, NoticeText.render(event, null, null, null, "l")).whoMustAct())
                .isNull();
    }
}
