package dev.upfront.testing;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a PostgreSQL server that counts the round trips its clients make: every
 * exchange of the protocol (a simple query, or an extended query's Sync, however many statements it carries) ends
 * with exactly one ReadyForQuery message from the server, so counting those counts the waits for the network.
 * Connect with {@link #url} (SSL off, so the stream is plain messages from the first byte).
 */
public final class RoundTripCounter extends LoopbackProxy {
    private final String database;
    private final AtomicLong roundTrips = new AtomicLong();

    /** @param postgresUrl a database on 127.0.0.1, as {@link Postgres#freshDatabaseUrl()} gives */
    public RoundTripCounter(String postgresUrl) {
        this(URI.create(postgresUrl.substring("jdbc:".length())));
    }

    private RoundTripCounter(URI target) {
        super(target.getPort(), "round-trip-counter");
        this.database = target.getPath().substring(1);
    }

    /** The database's URL through this proxy. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres&sslmode=disable";
    }

    /** The round trips of all connections so far. */
    public long roundTrips() {
        return roundTrips.get();
    }

    @Override
    void forward(Socket client, Socket server) {
        Thread.ofVirtual().start(() -> forwardRequests(client, server));
        Thread.ofVirtual().start(() -> forwardReplies(server, client));
    }

    private static void forwardRequests(Socket client, Socket server) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other direction closed the sockets
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /** Forwards the server's messages (a type byte, then a length that counts itself) one by one, counting 'Z'. */
    private void forwardReplies(Socket server, Socket client) {
        try (DataInputStream in = new DataInputStream(server.getInputStream()); OutputStream out = new BufferedOutputStream(client.getOutputStream())) {
            while (true) {
                int type = in.readUnsignedByte();
                int length = in.readInt();
                byte[] body = new byte[length - 4];
                in.readFully(body);
                if (type == 'Z') {
                    roundTrips.incrementAndGet();
                }
                out.write(type);
                out.write(length >>> 24);
                out.write(length >>> 16);
                out.write(length >>> 8);
                out.write(length);
                out.write(body);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // closed, by either side
        } finally {
            closeQuietly(server);
            closeQuietly(client);
        }
    }
}
