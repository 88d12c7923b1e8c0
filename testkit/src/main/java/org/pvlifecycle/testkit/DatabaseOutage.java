package org.pvlifecycle.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of the test database that a test can cut and mend: while cut, every
 * connection through it is closed and new ones are refused, as when PostgreSQL crashes; mended,
 * it forwards again on the same port, as when PostgreSQL is back. A service under test points its
 * datasource at {@link #url()} instead of {@link TestDatabase#url()}. One relay per JVM.
 */
public final class DatabaseOutage {
    private static Relay relay;

    /** {@code postgresql://127.0.0.1:<relay port>/<db>}: the test database, through the relay. */
    public static String url() {
        if (!JvmWide.isHome(DatabaseOutage.class)) {
            return (String) JvmWide.call(DatabaseOutage.class, "url");
        }
        synchronized (DatabaseOutage.class) {
            URI target = URI.create(TestDatabase.url());
            if (relay == null) {
                relay = new Relay(target.getHost(), target.getPort());
                relay.open(0);
            }
            return "postgresql://127.0.0.1:" + relay.port + target.getPath();
        }
    }

    public static String jdbcUrl() {
        return "jdbc:" + url();
    }

    /** The database is away: open connections drop and new ones are refused. */
    public static void begin() {
        if (!JvmWide.isHome(DatabaseOutage.class)) {
            JvmWide.call(DatabaseOutage.class, "begin");
            return;
        }
        synchronized (DatabaseOutage.class) {
            relay.cut();
        }
    }

    /** The database is back, on the same address. */
    public static void end() {
        if (!JvmWide.isHome(DatabaseOutage.class)) {
            JvmWide.call(DatabaseOutage.class, "end");
            return;
        }
        synchronized (DatabaseOutage.class) {
            relay.open(relay.port);
        }
    }

    private static final class Relay {
        final String host;
        final int targetPort;
        volatile int port;
        volatile ServerSocket server;
        final List<Socket> open = new CopyOnWriteArrayList<>();

        Relay(String host, int targetPort) {
            this.host = host;
            this.targetPort = targetPort;
        }

        void open(int onPort) {
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
                server = socket;
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("the database relay cannot listen on " + onPort, e);
            }
            ServerSocket listening = server;
            Thread acceptor = new Thread(() -> accept(listening), "database-relay-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        void cut() {
            closeQuietly(server);
            for (Socket socket : open) {
                closeQuietly(socket);
            }
            open.clear();
        }

        private void accept(ServerSocket listening) {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket database = new Socket(host, targetPort);
                    client.setTcpNoDelay(true);
                    database.setTcpNoDelay(true);
                    open.add(client);
                    open.add(database);
                    pump(client, database);
                    pump(database, client);
                } catch (IOException e) {
                    // closed by cut(), or the database refused: the client sees its socket close
                }
            }
        }

        private void pump(Socket from, Socket to) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16384];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // one side closed: close both below
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                    open.remove(from);
                    open.remove(to);
                }
            }, "database-relay-pump");
            thread.setDaemon(true);
            thread.start();
        }

        private static void closeQuietly(java.io.Closeable closeable) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private DatabaseOutage() {
    }
}
