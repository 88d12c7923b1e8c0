package org.pvlifecycle.mail.domain;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MaintainerContactsTest {

    @Test
    void theLowerCasedAddressOfEachContactOnceInOrder() {
        assertThat(MaintainerContacts.addresses(List.of("Juergen Gross <jgross@suse.com>",
                "Andrew Cooper <Andrew.Cooper3@Citrix.com>", "<bare@example.org>", "Juergen Gross <JGross@suse.com>")))
                .containsExactly("jgross@suse.com", "andrew.cooper3@citrix.com", "bare@example.org");
    }

    @Test
    void aContactWithoutAnAddressOrTooLongForAPersonIdIsLeftOut() {
        String tooLong = "a".repeat(195) + "@x.org";
        assertThat(MaintainerContacts.addresses(Arrays.asList("Jane Doe", null, "Joe <" + tooLong + ">",
                "Joe <not-an-address>"))).isEmpty();
    }
}
