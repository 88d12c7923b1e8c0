package org.pvlifecycle.mail.dkim;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.Result;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.impl.DNSPublicKeyRecordRetriever;
import org.pvlifecycle.mail.MailConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a message carries a valid DKIM signature of its {@code From} domain (Apache James jDKIM),
 * for {@code pvl.mail.dkim.required}. The signing domain ({@code d=}) must be the From address's
 * domain or a parent of it ({@code lists.example.org} signed by {@code example.org}): a valid
 * signature of some other domain, a relay's say, proves nothing about the sender.
 *
 * <p>Public keys come from DNS ({@code selector._domainkey.domain} TXT), or, when
 * {@code pvl.mail.dkim.keys} holds any, from that map only: tests and installations without DNS.
 * A key lookup that fails for now (DNS away) is {@link Verdict#UNAVAILABLE}: the message is to be
 * taken again later, not ignored for good. Blocking (DNS): the caller runs it on a worker thread.
 */
@ApplicationScoped
public class DkimCheck {

    public enum Verdict {
        /** A valid signature of the From domain. */
        VALID,
        /** None: unsigned, a signature that does not verify, or one of another domain. */
        INVALID,
        /** No valid one, and a key could not be looked up for now. */
        UNAVAILABLE
    }

    @Inject
    MailConfig config;

    private volatile PublicKeyRecordRetriever dns;

    public boolean required() {
        return config.dkim().required();
    }

    public Verdict check(byte[] raw, String fromAddress) {
        String fromDomain = fromAddress.substring(fromAddress.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        // A verifier keeps the results of what it verified: one per message.
        DKIMVerifier verifier = new DKIMVerifier(retriever());
        try {
            verifier.verify(new ByteArrayInputStream(raw));
        } catch (FailException | IOException noValidSignature) {
            // Each signature's result, the failed ones' too, is in getResults().
        } catch (RuntimeException unreadable) {
            return Verdict.INVALID;
        }
        List<Result> results = verifier.getResults() == null ? List.of() : verifier.getResults();
        boolean valid = results.stream().anyMatch(r -> r.getResultType() == Result.Type.PASS && r.getRecord() != null
                && aligned(String.valueOf(r.getRecord().getDToken()).toLowerCase(Locale.ROOT), fromDomain));
        if (valid) {
            return Verdict.VALID;
        }
        return results.stream().anyMatch(r -> r.getResultType() == Result.Type.TEMPERROR) ? Verdict.UNAVAILABLE
                : Verdict.INVALID;
    }

    /** The signing domain is the From domain or a parent of it. */
    static boolean aligned(String signingDomain, String fromDomain) {
        // A signing domain of one label (d=org) would be a whole top-level domain.
        return fromDomain.equals(signingDomain) || signingDomain.contains(".") && fromDomain.endsWith("." + signingDomain);
    }

    private PublicKeyRecordRetriever retriever() {
        Map<String, String> keys = config.dkim().keys();
        if (keys.isEmpty()) {
            if (dns == null) {
                // Its resolver reads the system's DNS configuration: made once, on first use.
                dns = new DNSPublicKeyRecordRetriever();
            }
            return dns;
        }
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(keys);
        return (method, selector, domain) -> {
            String name = selector + "._domainkey." + domain;
            String record = byName.get(name);
            if (record == null) {
                throw new PermFailException("no key " + name + " in pvl.mail.dkim.keys");
            }
            return List.of(record);
        };
    }
}
