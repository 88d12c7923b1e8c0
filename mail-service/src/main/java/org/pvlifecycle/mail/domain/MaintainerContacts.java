package org.pvlifecycle.mail.domain;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The addresses of a policy's maintainers, from its components' contacts ({@code Name <address>},
 * as a MAINTAINERS {@code M:} line gives them). The policy names such a maintainer by the
 * lower-cased address, the same id an unknown sender acts as, so each address seeds the identity
 * map as itself (docs/mail.md#what-a-message-does-messagedecision-owntext). An address too long
 * to be a person id (over {@value #MAX_PERSON} characters) is left out: the review service would
 * refuse to act for it.
 */
public final class MaintainerContacts {
    /** The longest person id the identity map takes (IdentityResource). */
    public static final int MAX_PERSON = 200;
    private static final Pattern ADDRESS = Pattern.compile("<\\s*([^<>\\s]+@[^<>\\s]+)\\s*>\\s*$");

    private MaintainerContacts() {
    }

    /** The lower-cased addresses of the contacts, each once, in order; a contact without one is skipped. */
    public static Set<String> addresses(Collection<String> contacts) {
        Set<String> addresses = new LinkedHashSet<>();
        for (String contact : contacts) {
            if (contact == null) {
                continue;
            }
            Matcher m = ADDRESS.matcher(contact);
            if (m.find() && m.group(1).length() <= MAX_PERSON) {
                addresses.add(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return addresses;
    }
}
