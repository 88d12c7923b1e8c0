package org.pvlifecycle.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvlifecycle.testkit.TestTokens;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Scenario 7: the pvcalls-v2 thread of the mail service's test messages, posted to the mail bridge
 * as the list gateway would, through the real chain: the bridge sends each sender's review command
 * to the review service, the consensus service decides the eligibility from the review events, the
 * projection shows it. After each message the eligibility is what its step makes it. The mail
 * service's own tests check the same thread against a stand-in of the review service only.
 *
 * <p>It comes after the fault scenarios: it sets the policy, which every proposal of the stack
 * shares (a short DESIGN window, the thread's maintainers), and the faults were measured on a stack
 * without it.
 */
@Order(7)
@ExtendWith(StackExtension.class)
class ListThreadIT {
    /** Each step goes through Kafka at least once; longer than this means it never arrives. */
    static final Duration SETTLES_WITHIN = Duration.ofSeconds(60);
    /** The thread's people (README.txt of the messages) by their list addresses. */
    static final Map<String, String> PEOPLE = Map.of("mara.kovac@example.com", "mara", "ines@example.org", "ines",
            "tomas.lind@example.net", "tomas");
    /** Tomas maintains the Linux frontend, Ines the protocol's documents. */
    static final Map<String, List<String>> MAINTAINERS = Map.of("linux-frontend", List.of("tomas"),
            "pvcalls-docs", List.of("ines"));
    /** What the series touches: patch 1 the document, patch 2 the public header. */
    static final List<String> PATHS = List.of("docs/misc/pvcalls.pandoc", "xen/include/public/io/pvcalls.h");
    static final String REVIEWED_BY = "a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d@example.net";
    static final String NACK = "f00dfeed-0042-4c1a-9d2e-3b4c5d6e7f80@example.org";
    static final String ANSWER = "CAMk0vAQ7x=owner-answer-1@mail.example.com";
    static final String WITHDRAWAL = "0badc0de-1111-4222-8333-944455556666@example.org";
    static final String HUNK = "xen/include/public/io/pvcalls.h @@ -60,6 +60,7 @@";

    private final Stack stack;
    private final Api api;
    private final String owner = TestTokens.mint("mara", "contributor");
    private final String czar = TestTokens.mint("xen-czar", "czar");
    private final String operator = TestTokens.mint("ops", "operator");
    private final String gateway = TestTokens.mint("mail-bridge", "mail-gateway");

    ListThreadIT(Stack stack) {
        this.stack = stack;
        this.api = new Api(stack);
    }

    /**
     * In PROTOTYPE, where a maintainer's ack counts for eligibility (docs/rules.md#acks): the
     * cover letter and patch 1 change nothing, Tomas's Reviewed-by takes away the missing ack of
     * the Linux frontend (not that of the documents: the Acked-by for Ines in it is not hers), Ines's
     * NACK blocks, Mara's answer leaves it blocking until Ines may respond, Ines's withdrawal ends it.
     */
    @Test
    void eachMessageOfTheThreadMovesTheEligibility() {
        stack.ensureRunning();
        ListMessages mail = new ListMessages();
        String id = mail.proposal();
        peopleKnown();
        maintainersKnown();
        submit(id);
        advanceToPrototype(id);

        Set<String> untouched = Set.of("NO_REVIEW_REQUESTED", "EVIDENCE_MISSING evidenceKind=PATCHES_POSTED",
                "EVIDENCE_MISSING evidenceKind=UPSTREAM_COMMITTED", "ACK_MISSING component=linux-frontend",
                "ACK_MISSING component=pvcalls-docs");
        awaitBlockers("in PROTOTYPE before the thread", id, untouched);

        JsonNode cover = deliver(mail, "cover-letter.eml", "IGNORED");
        assertThat(cover.path("reason").asText()).as("why the cover letter does nothing: %s", cover)
                .startsWith("nothing actionable");
        assertThat(cover.path("actions")).as("the cover letter's actions").isEmpty();
        deliver(mail, "patch-1-pvcalls-doc.eml", "IGNORED");
        awaitBlockers("after the cover letter and patch 1", id, untouched);

        JsonNode reviewed = deliver(mail, "reply-reviewed-by.eml", "APPLIED");
        assertThat(reviewed.path("messageId").asText()).isEqualTo(mail.id(REVIEWED_BY));
        assertThat(fields(onlyAction(reviewed), "kind", "actor", "ackKind", "component", "state"))
                .as("what Tomas's Reviewed-by did: %s", reviewed)
                .containsExactly("ACK", "tomas", "REVIEWED_BY", "linux-frontend", "DONE");
        Set<String> acked = without(untouched, "ACK_MISSING component=linux-frontend");
        awaitBlockers("after Tomas's Reviewed-by", id, acked);

        JsonNode nack = deliver(mail, "reply-nack-abi.eml", "APPLIED");
        String objection = id + ".o1";
        assertThat(fields(onlyAction(nack), "kind", "actor", "category", "section", "state", "result"))
                .as("what Ines's NACK did: %s", nack)
                .containsExactly("RAISE", "ines", "ABI", HUNK, "DONE", objection);
        Set<String> blocked = with(acked, "OBJECTION_BLOCKING objectionId=" + objection + " by=ines");
        JsonNode open = awaitBlockers("after Ines's NACK", id, blocked);
        assertThat(blocker(open, objection).path("message").asText()).as("the NACK's blocker")
                .contains("is OPEN");

        JsonNode answer = deliver(mail, "reply-owner-answer.eml", "APPLIED");
        assertThat(fields(onlyAction(answer), "kind", "actor", "objection", "state"))
                .as("what Mara's answer did: %s", answer).containsExactly("ANSWER", "mara", objection, "DONE");
        // The blockers stay the same (so no eligibility-changed): the answered objection blocks
        // until its author may no longer respond, which is now the next deadline.
        Instant respondBy = Instant.parse(api.read("review-service", "/objections/" + objection).json()
                .path("respondBy").asText());
        JsonNode answered = await("the consensus service sees " + objection + " answered", () -> eligibility(id),
                e -> blocker(e, objection).path("message").asText().contains("is ANSWERED"));
        assertThat(named(answered)).as("the blockers after Mara's answer").isEqualTo(blocked);
        assertThat(Instant.parse(answered.path("nextDeadline").asText())).as("the next deadline: %s", answered)
                .isEqualTo(respondBy);
        await("the projection shows " + objection + " answered", () -> objectionShown(id, objection),
                o -> o.path("status").asText().equals("ANSWERED"));

        JsonNode withdrawal = deliver(mail, "reply-withdraw.eml", "APPLIED");
        assertThat(fields(onlyAction(withdrawal), "kind", "actor", "objection", "state"))
                .as("what Ines's withdrawal did: %s", withdrawal).containsExactly("WITHDRAW", "ines", objection, "DONE");
        awaitBlockers("after Ines withdraws her NACK", id, acked);

        // The read side names the message behind each step, as the list's archive would show it.
        JsonNode withdrawn = await("the projection shows " + objection + " withdrawn", () -> objectionShown(id, objection),
                o -> o.path("status").asText().equals("WITHDRAWN"));
        assertThat(entries(withdrawn.path("thread"), "kind", "author", "source.messageId"))
                .as("the objection's thread in the projection: %s", withdrawn)
                .containsExactly("RAISED ines " + mail.id(NACK), "ANSWERED mara " + mail.id(ANSWER),
                        "WITHDRAWN ines " + mail.id(WITHDRAWAL));
        assertThat(entries(api.view(id).path("acks"), "author", "kind", "component", "stage", "source.messageId"))
                .as("the acks in the projection")
                .containsExactly("tomas REVIEWED_BY linux-frontend PROTOTYPE " + mail.id(REVIEWED_BY));
    }

    /** The archive of the thread so far (cover letter, patch 1, the NACK), imported twice. */
    @Test
    void theThreadsArchiveImportedTwiceActsOnce() {
        stack.ensureRunning();
        ListMessages mail = new ListMessages();
        String id = mail.proposal();
        peopleKnown();
        submit(id);
        awaitKnownEverywhere(id, "DESIGN");

        JsonNode first = importArchive(mail);
        assertThat(outcomes(first)).as("the first import: %s", first)
                .isEqualTo(Map.of("PENDING", 0, "APPLIED", 1, "IGNORED", 2, "REJECTED", 0, "DUPLICATE", 0));
        String objection = id + ".o1";
        Set<String> blocked = Set.of("NO_REVIEW_REQUESTED", "EVIDENCE_MISSING evidenceKind=DESIGN_COMMITTED",
                "OBJECTION_BLOCKING objectionId=" + objection + " by=ines");
        awaitBlockers("after the archive", id, blocked);

        JsonNode second = importArchive(mail);
        assertThat(outcomes(second)).as("the second import: %s", second)
                .isEqualTo(Map.of("PENDING", 0, "APPLIED", 0, "IGNORED", 0, "REJECTED", 0, "DUPLICATE", 3));
        // A NACK taken twice would be a second objection; the bridge answers only once the review
        // service has, so it would exist by now.
        assertThat(api.read("review-service", "/objections/" + id + ".o2").status())
                .as("a second objection from the archive imported again").isEqualTo(404);
        assertThat(entries(api.read("review-service", "/objections/" + objection).json().path("thread"), "kind"))
                .as("the NACK's objection after the second import").containsExactly("RAISED");
        assertThat(named(eligibility(id))).as("the blockers after the second import").isEqualTo(blocked);
    }

    /** The identity map: who the thread's senders are. */
    private void peopleKnown() {
        expect(api.put("mail-service", "/identities", operator, PEOPLE), 200, "PUT /identities");
    }

    /**
     * A policy whose maintainers are the thread's, with a DESIGN window short enough to leave
     * DESIGN in the test; returns once the mail service knows these maintainers.
     */
    private void maintainersKnown() {
        JsonNode policy = expect(api.put("consensus-service", "/policy", czar, Map.of(
                "reviewWindows", Map.of("DESIGN", "PT2S", "PROTOTYPE", "P14D", "PRODUCTION", "P28D"),
                "reReviewPeriod", "P3D", "responseWindow", "P7D", "czarDecisionWindow", "P7D",
                "lateObjectionsBlock", false, "autoAdvance", false, "maintainers", MAINTAINERS)), 200, "PUT /policy");
        long version = policy.path("version").asLong();
        await("the mail service knows policy version " + version, () -> mailKnows(
                "select version from mail.policy_version", null), known -> known != null && Long.parseLong(known) >= version);
    }

    private void submit(String id) {
        expect(api.post("proposal-service", "/proposals", owner, Map.of("id", id, "title", "PV Calls version 2",
                "summary", "Several data rings per socket", "components", List.copyOf(MAINTAINERS.keySet()),
                "spec", Api.SPEC, "paths", PATHS)), 201, "POST /proposals");
    }

    /** Through DESIGN as the README's tour goes: evidence, a review whose window ends, the Czar's decision. */
    private void advanceToPrototype(String id) {
        expect(api.post("proposal-service", "/proposals/" + id + "/evidence", owner,
                Map.of("kind", "DESIGN_COMMITTED", "reference", "xen.git 1a2b3c4")), 201, "POST evidence");
        expect(api.post("proposal-service", "/proposals/" + id + "/review-requests", owner, null), 202,
                "POST review-requests");
        await(id + " eligible once its DESIGN window has ended", () -> eligibility(id),
                e -> e.path("eligible").asBoolean());
        expect(api.post("consensus-service", "/proposals/" + id + "/transitions", czar,
                Map.of("to", "PROTOTYPE", "rationale", "Design reviewed")), 202, "POST transitions");
        await(id + " in PROTOTYPE at the consensus service", () -> eligibility(id),
                e -> e.path("stage").asText().equals("PROTOTYPE"));
        // The review service gives an ack the stage it knows: it must know PROTOTYPE first.
        awaitKnownEverywhere(id, "PROTOTYPE");
    }

    /** Every consumer has applied every event of the proposal, and the mail service knows it in {@code stage}. */
    private void awaitKnownEverywhere(String id, String stage) {
        Ledger.Snapshot known = new Ledger(stack).awaitQuiet(List.of(id), SETTLES_WITHIN);
        assertThat(known.missingEverywhere()).as("events of %s not applied by a consumer after %s", id, SETTLES_WITHIN)
                .isZero();
        await("the mail service knows " + id + " in " + stage, () -> mailKnows(
                "select stage from mail.proposals where proposal_id = ?", id), stage::equals);
    }

    /** One message as the list gateway posts it; its receipt, checked for the outcome and the proposal. */
    private JsonNode deliver(ListMessages mail, String file, String outcome) {
        JsonNode receipt = expect(api.post("mail-service", "/messages", gateway, "message/rfc822", mail.bytes(file)),
                202, "POST /messages " + file);
        assertThat(fields(receipt, "outcome", "proposal")).as("the receipt of %s: %s", file, receipt)
                .containsExactly(outcome, mail.proposal());
        return receipt;
    }

    private JsonNode importArchive(ListMessages mail) {
        JsonNode imported = expect(api.post("mail-service", "/messages/mbox", gateway, "application/mbox",
                mail.bytes("pvcalls-v2-thread.mboxrd")), 202, "POST /messages/mbox");
        assertThat(imported.path("messages").asInt()).as("messages in the archive: %s", imported).isEqualTo(3);
        assertThat(imported.path("refused")).as("refused messages: %s", imported).isEmpty();
        return imported;
    }

    /** An import's count of each outcome. */
    private static Map<String, Integer> outcomes(JsonNode imported) {
        Map<String, Integer> outcomes = new TreeMap<>();
        imported.path("outcomes").properties().forEach(e -> outcomes.put(e.getKey(), e.getValue().asInt()));
        return outcomes;
    }

    private JsonNode expect(Answer answer, int status, String request) {
        assertThat(answer.status()).as("%s: %s", request, answer).isEqualTo(status);
        return answer.json();
    }

    /**
     * Waits until both the consensus service's answer and the projection's view name exactly
     * {@code expected} as blockers; returns the consensus service's answer.
     */
    private JsonNode awaitBlockers(String step, String id, Set<String> expected) {
        long started = System.nanoTime();
        Blockers seen = await(step + ", the blockers are " + new TreeSet<>(expected), () -> blockers(id),
                b -> expected.equals(b.decided()) && expected.equals(b.shown()));
        System.out.printf("%s: %s, shown after %d ms%n", step, new TreeSet<>(expected),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return seen.eligibility();
    }

    /** The blockers as the consensus service decides them and as the projection shows them; null where not known yet. */
    record Blockers(JsonNode eligibility, Set<String> decided, Set<String> shown) {
        @Override
        public String toString() {
            return "the consensus service: " + (decided == null ? "unknown" : new TreeSet<>(decided))
                    + "; the projection: " + (shown == null ? "unknown" : new TreeSet<>(shown));
        }
    }

    private Blockers blockers(String id) {
        JsonNode decided = eligibility(id);
        Answer view = api.read("projection-service", "/proposals/" + id);
        JsonNode shown = view.status() == 200 ? view.json().path("proposal").path("eligibility") : null;
        return new Blockers(decided, decided == null ? null : named(decided),
                shown == null || !shown.isObject() ? null : named(shown));
    }

    /** {@code GET /proposals/{id}/eligibility} of the consensus service; null while it does not know the proposal. */
    private JsonNode eligibility(String id) {
        Answer answer = api.read("consensus-service", "/proposals/" + id + "/eligibility");
        return answer.status() == 200 ? answer.json() : null;
    }

    /** The objection in the projection's view of the proposal; a missing node until it is there. */
    private JsonNode objectionShown(String id, String objectionId) {
        Answer view = api.read("projection-service", "/proposals/" + id);
        if (view.status() != 200) {
            return MissingNode.getInstance();
        }
        return stream(view.json().path("proposal").path("objections"))
                .filter(o -> o.path("objectionId").asText().equals(objectionId)).findFirst()
                .orElse(MissingNode.getInstance());
    }

    /** Each blocker by its code and the fields that say what it is about (not its sentence, which may change). */
    static Set<String> named(JsonNode eligibility) {
        Set<String> named = new TreeSet<>();
        for (JsonNode blocker : eligibility.path("blockers")) {
            StringBuilder name = new StringBuilder(blocker.path("code").asText());
            for (String field : List.of("objectionId", "by", "evidenceKind", "component", "section")) {
                if (blocker.hasNonNull(field)) {
                    name.append(' ').append(field).append('=').append(blocker.get(field).asText());
                }
            }
            named.add(name.toString());
        }
        return named;
    }

    private static JsonNode blocker(JsonNode eligibility, String objectionId) {
        return eligibility == null ? MissingNode.getInstance()
                : stream(eligibility.path("blockers")).filter(b -> b.path("objectionId").asText().equals(objectionId))
                        .findFirst().orElse(MissingNode.getInstance());
    }

    private static JsonNode onlyAction(JsonNode receipt) {
        assertThat(receipt.path("actions")).as("the actions of %s", receipt).hasSize(1);
        return receipt.path("actions").get(0);
    }

    /** The fields' texts; a dotted name reads a nested field. */
    private static List<String> fields(JsonNode node, String... names) {
        return Arrays.stream(names).map(name -> {
            JsonNode value = node;
            for (String part : name.split("\\.")) {
                value = value.path(part);
            }
            return value.asText();
        }).toList();
    }

    /** Each element as its fields' texts joined by spaces. */
    private static List<String> entries(JsonNode array, String... names) {
        return stream(array).map(e -> String.join(" ", fields(e, names))).toList();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static Set<String> with(Set<String> blockers, String added) {
        return Stream.concat(blockers.stream(), Stream.of(added)).collect(Collectors.toSet());
    }

    private static Set<String> without(Set<String> blockers, String removed) {
        assertThat(blockers).contains(removed);
        return blockers.stream().filter(b -> !b.equals(removed)).collect(Collectors.toSet());
    }

    /** The first column of the first row the mail service's own table gives, or null. */
    private String mailKnows(String sql, Object parameter) {
        try (Connection c = stack.connect(); PreparedStatement q = c.prepareStatement(sql)) {
            if (parameter != null) {
                q.setObject(1, parameter);
            }
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls {@code probe} until {@code done} holds and returns what it gave then; fails naming
     * {@code what} and the last value seen when that takes longer than {@link #SETTLES_WITHIN}.
     */
    private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + SETTLES_WITHIN.toNanos();
        T last = probe.get();
        while (last == null || !done.test(last)) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not after " + SETTLES_WITHIN + "; last seen: " + last);
            }
            Sleep.millis(200);
            last = probe.get();
        }
        return last;
    }
}
