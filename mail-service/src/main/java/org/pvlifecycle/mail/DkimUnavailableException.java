package org.pvlifecycle.mail;

/**
 * A DKIM signature is required and the signer's key could not be looked up for now (DNS away): the
 * message is not recorded, so that it is taken again later rather than ignored for good.
 */
public class DkimUnavailableException extends RuntimeException {
    public DkimUnavailableException(String messageId) {
        super("the DKIM key of message " + messageId + " could not be looked up now; it is taken again later");
    }
}
