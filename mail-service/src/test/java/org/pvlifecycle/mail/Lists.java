package org.pvlifecycle.mail;

import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.pvlifecycle.events.PolicyChanged;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.testkit.TestDatabase;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** What the mail service's tests share: tokens, the people of the test thread, and the facts it must have learnt. */
final class Lists {
    static final String LIST = "xen-devel.lists.xenproject.org";
    static final String GATEWAY = TestTokens.mint("mail-bridge", "mail-gateway");
    static final String OPERATOR = TestTokens.mint("ops", "operator");
    static final String READER = TestTokens.mint("carol", "reviewer");
    /** The people of the test thread (README.txt of resources mail/), as the identity map names them. */
    static final Map<String, String> PEOPLE = Map.of("mara.kovac@example.com", "mara", "ines@example.org", "ines",
            "tomas.lind@example.net", "tomas");
    static final String X86 = "x86-architecture";
    static final String ARM = "arm-architecture";
    /**
     * Tomas maintains the Linux frontend, Ines the protocol's documents; for ScopedAckIT, Tomas
     * maintains the x86 and ARM architectures too (no proposal of the other tests has them).
     */
    static final Map<String, List<String>> MAINTAINERS = Map.of("linux-frontend", List.of("tomas"),
            "pvcalls-docs", List.of("ines"), X86, List.of("tomas"), ARM, List.of("tomas"));
    /**
     * The two architectures as MAINTAINERS describes them: titles and F: patterns, which a scoped
     * trailer names them by. No contacts: they seed nothing into the identity map.
     */
    static final Map<String, PolicyChanged.Component> COMPONENTS = Map.of(
            X86, new PolicyChanged.Component("X86 ARCHITECTURE", List.of("xen/arch/x86/", "xen/include/public/arch-x86/"),
                    List.of(), List.of()),
            ARM, new PolicyChanged.Component("ARM (W/ VIRTUALISATION EXTENSIONS) ARCHITECTURE",
                    List.of("xen/arch/arm/", "xen/include/public/arch-arm/"), List.of(), List.of()));
    static final long POLICY_VERSION = 1_000_000;

    private Lists() {
    }

    /** One raw message to {@code POST /messages}, with the gateway's token. */
    static ValidatableResponse post(byte[] raw) {
        return post(GATEWAY, raw);
    }

    static ValidatableResponse post(String token, byte[] raw) {
        return given().header("Authorization", token).contentType("message/rfc822").body(raw)
                .when().post("/messages").then().log().ifValidationFails();
    }

    /** What {@code GET /messages} records of the proposal's messages. */
    static JsonPath messagesOf(String proposal) {
        return given().header("Authorization", READER).queryParam("proposal", proposal).when().get("/messages")
                .then().statusCode(200).extract().jsonPath();
    }

    static ValidatableResponse importArchive(byte[] archive) {
        return given().header("Authorization", GATEWAY).contentType("application/mbox").body(archive)
                .when().post("/messages/mbox").then().log().ifValidationFails();
    }

    /** The identity map and the policy's maintainers, known to the service before a test posts anything. */
    /**
     * The people known and a proposal of the test's own that the service has learnt of (no
     * paths): what each thread test starts from.
     */
    static ListMail freshProposal() {
        peopleKnown();
        ListMail mail = ListMail.fresh();
        proposalKnown(mail, List.of());
        return mail;
    }

    static void peopleKnown() {
        given().header("Authorization", OPERATOR).contentType("application/json").body(PEOPLE)
                .when().put("/identities").then().statusCode(200);
        // The same event id every time: the service applies it once whichever test class comes first.
        TopicProbe.publish(new PolicyChanged(POLICY_VERSION, Map.of(Stage.DESIGN, Duration.ofDays(14), Stage.PROTOTYPE,
                Duration.ofDays(14), Stage.PRODUCTION, Duration.ofDays(28)), Duration.ofDays(3), Duration.ofDays(7),
                Duration.ofDays(7), false, false, MAINTAINERS, COMPONENTS), "xen-czar", "00000000-0000-4000-8000-000000000a11");
        // At least: IdentitySeedIT's later policies keep these maintainers, and an older one changes nothing.
        awaitRow("select 1 from mail.policy_version where version >= ?", POLICY_VERSION);
    }

    /** The test's proposal, owned by Mara, as the service learnt it from the proposal service's event. */
    static void proposalKnown(ListMail mail, List<String> paths) {
        proposalKnown(mail, List.of("linux-frontend", "pvcalls-docs"), paths);
    }

    static void proposalKnown(ListMail mail, List<String> components, List<String> paths) {
        TopicProbe.publish(new ProposalSubmitted(mail.proposal, "PV Calls version 2", "Socket calls over a shared ring",
                "mara", components, 1, "# PV Calls\n## ABI", List.of(), List.of(),
                paths), "mara");
        awaitRow("select 1 from mail.proposals where proposal_id = ?", mail.proposal);
    }

    /** Waits until {@code sql} with {@code parameter} finds a row in the service's database. */
    static void awaitRow(String sql, Object parameter) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl(), TestDatabase.user(),
                    TestDatabase.password()); PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, parameter);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            } catch (SQLException notYet) {
                return false;
            }
        });
    }
}
