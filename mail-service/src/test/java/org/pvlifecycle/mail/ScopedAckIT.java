package org.pvlifecycle.mail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.mail.ReviewStandIn.Call;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.pvlifecycle.mail.Lists.ARM;
import static org.pvlifecycle.mail.Lists.X86;
import static org.pvlifecycle.mail.Lists.post;

/**
 * Area-scoped trailers as xen-devel maintainers write them ("Acked-by: ... # x86"), sent as the
 * list delivers them, on a series touching both architectures, which Tomas both maintains (the
 * policy of {@link Lists}, which describes their titles and F: patterns): each reaches the review
 * service stand-in as an ack for the components its scope names only, and a scope naming none of
 * them gives no ack and says why.
 */
@QuarkusTest
@QuarkusTestResource(MailTestResources.class)
class ScopedAckIT {
    static final ReviewStandIn REVIEW = MailTestResources.REVIEW;
    static final String TOMAS = "Tomas Lind <tomas.lind@example.net>";

    @Test
    void aScopedAckIsAnAckOnlyForTheComponentsItsScopeNames() {
        Lists.peopleKnown();
        ListMail mail = ListMail.fresh();
        Lists.proposalKnown(mail, List.of(X86, ARM), List.of("xen/arch/x86/hvm/vmsi.c", "xen/arch/arm/vpci.c"));

        post(reply(mail, 1, "Acked-by: " + TOMAS + " # x86")).statusCode(202)
                .body("proposal", equalTo(mail.proposal)).body("outcome", equalTo("APPLIED"))
                .body("actions", hasSize(1)).body("actions[0].kind", equalTo("ACK"))
                .body("actions[0].actor", equalTo("tomas")).body("actions[0].ackKind", equalTo("ACKED_BY"))
                .body("actions[0].component", equalTo(X86)).body("actions[0].state", equalTo("DONE"))
                .body("reason", containsString("counts for [" + X86 + "] only"));
        // A path names the component whose F: patterns cover it: the policy's descriptions, learnt from its event.
        post(reply(mail, 2, "Reviewed-by: " + TOMAS + " # xen/arch/arm/")).statusCode(202)
                .body("outcome", equalTo("APPLIED")).body("actions", hasSize(1))
                .body("actions[0].ackKind", equalTo("REVIEWED_BY")).body("actions[0].component", equalTo(ARM))
                .body("actions[0].state", equalTo("DONE"));
        post(reply(mail, 3, "Acked-by: " + TOMAS + " # tools")).statusCode(202)
                .body("proposal", equalTo(mail.proposal)).body("outcome", equalTo("IGNORED"))
                .body("actions", hasSize(0)).body("reason", startsWith("nothing actionable"))
                .body("reason", containsString("\"# tools\" names none of the components maintained by tomas on this"
                        + " proposal [" + X86 + ", " + ARM + "]"));

        List<Call> calls = REVIEW.callsAbout(mail.proposal);
        assertThat(calls).extracting(c -> c.method() + " " + c.path(), c -> c.body().path("kind").asText(),
                c -> c.body().path("component").asText()).containsExactly(
                tuple("POST /proposals/" + mail.proposal + "/acks", "ACKED_BY", X86),
                tuple("POST /proposals/" + mail.proposal + "/acks", "REVIEWED_BY", ARM));
    }

    /** Tomas's reply to patch 3 of the test's series, quoting both architectures' hunks, with {@code trailer}. */
    private static byte[] reply(ListMail mail, int n, String trailer) {
        return mail.msixReply(TOMAS, "scoped-" + n + "." + mail.tag + "@example.net", "Thu, 12 Mar 2026 09:3" + n
                + ":00 +0000", trailer);
    }
}
