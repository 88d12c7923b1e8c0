package org.pvlifecycle.mail;

import org.junit.jupiter.api.Test;
import org.pvlifecycle.testkit.DomainRules;

/** The domain package stays pure Java: no framework, no I/O (see DomainRules). */
class DomainPurityTest {
    @Test
    void theDomainUsesNoFrameworkAndDoesNoIo() {
        DomainRules.check("org.pvlifecycle.mail");
    }
}
