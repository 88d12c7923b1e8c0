package org.pvlifecycle.mail.domain;

import java.util.Locale;

/** Who sent a message: the display name as written (RFC 2047 decoded, "" when none) and the lower-cased address. */
public record Sender(String name, String address) {
    public Sender {
        name = name == null ? "" : name.strip();
        address = address.strip().toLowerCase(Locale.ROOT);
    }
}
