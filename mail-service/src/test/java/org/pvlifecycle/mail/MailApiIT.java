package org.pvlifecycle.mail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.ServiceConventions;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.pvlifecycle.mail.Lists.OPERATOR;
import static org.pvlifecycle.mail.Lists.READER;
import static org.pvlifecycle.mail.Lists.post;

/** The mail API's own rules: who may call what, refused messages, the identity map, the list of messages. */
@QuarkusTest
@QuarkusTestResource(MailTestResources.class)
class MailApiIT {

    @Test
    void isOperableAndChecksTokensAndRoles() {
        ServiceConventions.assertOperable("pv-lifecycle mail-service");
        ServiceConventions.assertNeedsValidToken("/messages");
        ListMail mail = ListMail.fresh();
        post(READER, mail.bytes("cover-letter.eml")).statusCode(403).contentType("application/problem+json");
        post(OPERATOR, mail.bytes("cover-letter.eml")).statusCode(202).body("outcome", equalTo("IGNORED"));
        given().header("Authorization", READER).contentType("application/json").body(Map.of("a@b.org", "a"))
                .when().put("/identities").then().statusCode(403);
        given().header("Authorization", READER).when().get("/identities").then().statusCode(403);
    }

    @Test
    void aMessageWithoutMessageIdOrFromIsRefusedNamingTheHeader() {
        ListMail mail = ListMail.fresh();
        String cover = mail.text("cover-letter.eml");
        String noId = cover.replaceFirst("Message-ID: <[^>]+>\n", "");
        post(noId.getBytes(StandardCharsets.UTF_8)).statusCode(422).contentType("application/problem+json")
                .body("errors.field", contains("Message-ID")).body("detail", containsString("Message-ID"));
        String noFrom = cover.replaceFirst("From: [^\n]+\n", "");
        post(noFrom.getBytes(StandardCharsets.UTF_8)).statusCode(422).body("errors.field", contains("From"));
        String noAddress = cover.replaceFirst("From: [^\n]+\n", "From: Mara Kovac\n");
        post(noAddress.getBytes(StandardCharsets.UTF_8)).statusCode(422).body("errors.field", contains("From"));
        post(new byte[0]).statusCode(422).body("errors.field", contains("Message-ID"));
        // Refused messages are not recorded.
        given().header("Authorization", READER).queryParam("proposal", mail.proposal).when().get("/messages").then()
                .statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aMessageOverTenMebibytesIs413() {
        ListMail mail = ListMail.fresh();
        byte[] head = mail.bytes("cover-letter.eml");
        byte[] big = Arrays.copyOf(head, 10 * 1024 * 1024 + 1);
        Arrays.fill(big, head.length, big.length, (byte) 'x');
        post(big).statusCode(413).contentType("application/problem+json").body("status", equalTo(413))
                .body("detail", containsString("10 MiB"));
    }

    @Test
    void aBodyOfAnotherTypeIs415NamingTheTypeSent() {
        given().header("Authorization", Lists.GATEWAY).contentType("application/json").body("{}")
                .when().post("/messages").then().statusCode(415).contentType("application/problem+json")
                .body("detail", containsString("application/json")).body("detail", containsString("/messages"));
    }

    @Test
    void anArchiveThatIsNotAnMboxIs422AndItsUnreadableMessagesAreCountedAsRefused() {
        ListMail mail = ListMail.fresh();
        Lists.importArchive(mail.bytes("cover-letter.eml")).statusCode(422).contentType("application/problem+json");
        String archive = "From mara.kovac@example.com Tue Mar  3 10:12:44 2026\n" + mail.text("cover-letter.eml")
                + "\nFrom nobody Tue Mar  3 10:12:45 2026\nSubject: no id\nFrom: x@example.org\n\nbody\n";
        Lists.importArchive(archive.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("messages", equalTo(2))
                .body("outcomes.IGNORED", equalTo(1)).body("refused", hasSize(1))
                .body("refused[0].position", equalTo(2)).body("refused[0].reason", containsString("Message-ID"));
    }

    @Test
    void theIdentityMapIsReplacedWholeAndItsEntriesAreChecked() {
        Map<String, String> more = new HashMap<>(Lists.PEOPLE);
        more.put("Juergen.Gross@Example.COM", "jgross");
        given().header("Authorization", OPERATOR).contentType("application/json").body(more)
                .when().put("/identities").then().statusCode(200).body("'juergen.gross@example.com'", equalTo("jgross"));
        given().header("Authorization", OPERATOR).when().get("/identities").then().statusCode(200)
                .body("'juergen.gross@example.com'", equalTo("jgross")).body("'ines@example.org'", equalTo("ines"));
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("not an address", "x"))
                .when().put("/identities").then().statusCode(422).body("errors.field", contains("not an address"));
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("a@example.org", "two words"))
                .when().put("/identities").then().statusCode(422).body("errors.field", contains("a@example.org"));
        given().header("Authorization", OPERATOR).contentType("application/json").body(Lists.PEOPLE)
                .when().put("/identities").then().statusCode(200);
    }

    @Test
    void theListOfMessagesIsFilteredAndPaged() {
        Lists.peopleKnown();
        ListMail mail = ListMail.fresh();
        Lists.proposalKnown(mail, List.of());
        post(mail.bytes("cover-letter.eml")).statusCode(202);
        post(mail.bytes("patch-1-pvcalls-doc.eml")).statusCode(202);
        given().header("Authorization", READER).queryParam("proposal", mail.proposal).when().get("/messages").then()
                .statusCode(200).body("page", equalTo(0)).body("size", equalTo(20))
                .body("items.messageId", contains(mail.id("20260303091244.11873-2-mara.kovac@example.com"),
                        mail.id("20260303091244.11873-1-mara.kovac@example.com")))
                .body("items[0].from", equalTo("mara.kovac@example.com")).body("items[0].person", equalTo("mara"))
                .body("items[0].list", equalTo(Lists.LIST)).body("items[0].outcome", equalTo("IGNORED"));
        given().header("Authorization", READER).queryParam("proposal", mail.proposal).queryParam("size", "1")
                .queryParam("page", "1").when().get("/messages").then().statusCode(200)
                .body("items.messageId", contains(mail.id("20260303091244.11873-1-mara.kovac@example.com")));
        given().header("Authorization", READER).queryParam("proposal", mail.proposal).queryParam("outcome", "APPLIED")
                .when().get("/messages").then().statusCode(200).body("items", hasSize(0));
        given().header("Authorization", READER).queryParam("outcome", "LOST").when().get("/messages").then()
                .statusCode(400).body("errors.field", contains("outcome"));
        given().header("Authorization", READER).queryParam("size", "0").when().get("/messages").then().statusCode(400);
    }

    @Test
    void aPatchWithoutTheIdInItsSubjectIsTiedToTheProposalWhosePathItTouches() {
        Lists.peopleKnown();
        ListMail mail = ListMail.fresh();
        String path = "docs/misc/" + mail.proposal + ".pandoc";
        Lists.proposalKnown(mail, List.of(path));
        String patch = mail.text("patch-1-pvcalls-doc.eml").replace("[PATCH v2 " + mail.proposal + " 1/3]", "[PATCH v2 1/3]")
                .replace("docs/misc/pvcalls.pandoc", path).replaceFirst("In-Reply-To: [^\n]+\nReferences: [^\n]+\n", "");
        post(patch.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("proposal", equalTo(mail.proposal))
                .body("outcome", equalTo("IGNORED")).body("reason", containsString("nothing actionable"));
    }
}
