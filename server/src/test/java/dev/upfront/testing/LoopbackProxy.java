package dev.upfront.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy on 127.0.0.1 in front of a server on 127.0.0.1: each accepted connection gets a connection of its own to
 * the server, and the subclass moves the bytes between the two ({@link #forward}).
 */
abstract class LoopbackProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;

    LoopbackProxy(int targetPort, String name) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name(name).start(this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Starts moving bytes between a new client's connection and its connection to the server. */
    abstract void forward(Socket client, Socket upstream);

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                forward(client, new Socket(InetAddress.getLoopbackAddress(), targetPort));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
