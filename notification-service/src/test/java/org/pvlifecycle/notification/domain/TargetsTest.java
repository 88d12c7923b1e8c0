package org.pvlifecycle.notification.domain;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The target rules on their own, with the host names resolved by a fixed table instead of DNS. */
class TargetsTest {
    static final Targets.Resolver TABLE = host -> {
        Map<String, String> table = Map.of("hooks.example.org", "203.0.113.7", "sneaky.example.org", "169.254.169.254",
                "v6.example.org", "fe80::1");
        if (host.contains(":") || host.matches("[0-9.]+")) {
            return List.of(InetAddress.getByName(host)); // an address literal, as DNS answers it: itself
        }
        if (!table.containsKey(host)) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(table.get(host)));
    };

    static String refusal(String channel, String target, Set<String> allowed) {
        return Targets.refusal(channel, target, allowed, TABLE);
    }

    @Test
    void aWebhookIsAnHttpUrlToAHostThatIsNotLinkLocalNorMetadata() {
        assertThat(refusal("WEBHOOK", "https://hooks.example.org/pv", Set.of())).isNull();
        assertThat(refusal("WEBHOOK", "ftp://hooks.example.org/pv", Set.of())).isEqualTo("must be an http(s) URL");
        assertThat(refusal("WEBHOOK", "http://metadata.google.internal/", Set.of()))
                .isEqualTo("must not be a cloud metadata endpoint");
        assertThat(refusal("WEBHOOK", "http://sneaky.example.org/", Set.of()))
                .isEqualTo("must not be a link-local or cloud metadata address");
        assertThat(refusal("WEBHOOK", "http://v6.example.org/", Set.of()))
                .isEqualTo("must not be a link-local or cloud metadata address");
        assertThat(refusal("WEBHOOK", "http://nowhere.example.org/", Set.of())).isEqualTo("names a host that does not resolve");
        // Metadata endpoints outside the link-local range, by literal (no lookup) in any spelling.
        for (String target : List.of("http://[fd00:ec2::254]/latest/meta-data/", "http://[fd00:ec2:0:0:0:0:0:254]/",
                "http://168.63.129.16/machine", "http://100.100.100.200/latest/meta-data/")) {
            assertThat(refusal("WEBHOOK", target, Set.of())).as(target)
                    .isEqualTo("must not be a link-local or cloud metadata address");
        }
    }

    @Test
    void anOperatorsAllowListIsHonouredBeforeAnyLookup() {
        assertThat(refusal("WEBHOOK", "https://hooks.example.org/pv", Set.of("ci.example.org")))
                .isEqualTo("must be one of the hosts the operator allows");
        assertThat(refusal("WEBHOOK", "https://hooks.example.org/pv", Set.of("hooks.example.org"))).isNull();
    }

    @Test
    void anEmailTargetIsAnAddress() {
        assertThat(refusal("EMAIL", "carol@example.org", Set.of())).isNull();
        assertThat(refusal("EMAIL", "carol", Set.of())).isEqualTo("must be an e-mail address");
    }

    @Test
    void aFailedDeliverysEventShowsTheTargetOnlyInPart() {
        assertThat(Targets.shown("WEBHOOK", "https://hooks.slack.com/services/T000/B000/XXXX?token=s3cr3t"))
                .isEqualTo("https://hooks.slack.com/…");
        assertThat(Targets.shown("WEBHOOK", "http://127.0.0.1:9090/hook")).isEqualTo("http://127.0.0.1:9090/…");
        assertThat(Targets.shown("WEBHOOK", "not a url")).isEqualTo("a webhook");
        assertThat(Targets.shown("EMAIL", "jbeulich@suse.com")).isEqualTo("…@suse.com");
        assertThat(Targets.shown("LIST", "xen-devel@lists.xenproject.org")).isEqualTo("xen-devel@lists.xenproject.org");
    }
}
