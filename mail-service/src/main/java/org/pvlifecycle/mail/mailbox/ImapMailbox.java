package org.pvlifecycle.mail.mailbox;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.FlagTerm;
import org.pvlifecycle.mail.MailConfig;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * One connection to the polled IMAP folder (Jakarta Mail), for one pass: its unseen messages by
 * UID, each one's raw bytes, and the {@code \Seen} flag set once the message's outcome is recorded.
 * Every call blocks: the caller runs them on a worker thread, one at a time.
 *
 * <p>Bodies are fetched with {@code BODY.PEEK[]}: a plain fetch would mark the message seen on
 * the server before the bridge has recorded anything, and a crash then would lose it.
 */
public final class ImapMailbox implements AutoCloseable {
    private final Store store;
    private final Folder folder;

    private ImapMailbox(Store store, Folder folder) {
        this.store = store;
        this.folder = folder;
    }

    /**
     * Connects and opens the configured folder for reading and flagging; over TLS, trusting the CAs
     * {@code trust} names. A refused TLS handshake is an {@link SSLException} saying what the
     * server's certificate must be.
     */
    public static ImapMailbox open(MailConfig.Imap imap, ImapTrustStore trust)
            throws MessagingException, SSLException, ImapTrustStore.InvalidTrustStore {
        String protocol = imap.tls() ? "imaps" : "imap";
        int port = imap.port().orElse(imap.tls() ? 993 : 143);
        String timeout = String.valueOf(imap.timeout().toMillis());
        Properties properties = new Properties();
        properties.put("mail.store.protocol", protocol);
        properties.put("mail." + protocol + ".host", imap.host());
        properties.put("mail." + protocol + ".port", String.valueOf(port));
        properties.put("mail." + protocol + ".connectiontimeout", timeout);
        properties.put("mail." + protocol + ".timeout", timeout);
        properties.put("mail." + protocol + ".peek", "true");
        if (imap.tls()) {
            properties.put("mail.imaps.ssl.checkserveridentity", "true");
            trust.socketFactory().ifPresent(factory -> {
                // An object, not a class name: Properties carries it to Jakarta Mail's socket fetcher as it is.
                properties.put("mail.imaps.ssl.socketFactory", factory);
                // Jakarta Mail's default, when a configured factory fails, is to connect again with the
                // JVM's default one: a server that the trust store refuses would then be let in by any
                // CA the JVM trusts, and the refusal's reason lost. The trust store replaces the JVM's CAs.
                properties.put("mail.imaps.socketFactory.fallback", "false");
            });
        }
        Store store = Session.getInstance(properties).getStore(protocol);
        try {
            store.connect(imap.host(), port, imap.user().orElse(null), imap.password().orElse(null));
        } catch (MessagingException e) {
            SSLException refused = causeOfType(e, SSLException.class);
            if (refused == null) {
                throw e;
            }
            // Jakarta Mail's own message says only that it could not connect; the cause it nests
            // is what an operator needs, with what would make the handshake succeed.
            String expected = refused instanceof SSLHandshakeException
                    ? ": the server's certificate must chain to " + trust.describe() + " and name " + imap.host()
                    : "";
            throw new SSLException("the TLS handshake with " + imap.host() + ":" + port + " failed ("
                    + refused.getMessage() + ")" + expected, e);
        }
        try {
            Folder folder = store.getFolder(imap.folder());
            folder.open(Folder.READ_WRITE);
            if (!(folder instanceof UIDFolder)) {
                throw new MessagingException("the IMAP folder " + imap.folder() + " has no UIDs");
            }
            return new ImapMailbox(store, folder);
        } catch (MessagingException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The UIDs of the folder's unseen messages, oldest first, at most {@code limit}; and whether there were more. */
    public Unseen unseen(int limit) throws MessagingException {
        Message[] found = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        UIDFolder uids = (UIDFolder) folder;
        long[] all = new long[found.length];
        for (int i = 0; i < found.length; i++) {
            all[i] = uids.getUID(found[i]);
        }
        Arrays.sort(all);
        List<Long> first = Arrays.stream(all).limit(limit).boxed().toList();
        return new Unseen(first, all.length > limit);
    }

    public record Unseen(List<Long> uids, boolean more) {
    }

    /** The message's size as the server gives it, in bytes; -1 when it is gone or does not say. */
    public int size(long uid) throws MessagingException {
        Message message = ((UIDFolder) folder).getMessageByUID(uid);
        return message == null ? -1 : message.getSize();
    }

    /** The message's raw bytes; null when it is gone (deleted meanwhile by someone else). */
    public byte[] raw(long uid) throws MessagingException, IOException {
        Message message = ((UIDFolder) folder).getMessageByUID(uid);
        if (message == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(message.getSize(), 1024));
        message.writeTo(out);
        return out.toByteArray();
    }

    public void markSeen(long uid) throws MessagingException {
        Message message = ((UIDFolder) folder).getMessageByUID(uid);
        if (message != null) {
            message.setFlag(Flags.Flag.SEEN, true);
        }
    }

    @Override
    public void close() {
        try {
            if (folder.isOpen()) {
                folder.close(false);
            }
        } catch (MessagingException ignored) {
            // The connection is going anyway.
        }
        try {
            store.close();
        } catch (MessagingException ignored) {
            // As above: nothing is left to do with it.
        }
    }
}
