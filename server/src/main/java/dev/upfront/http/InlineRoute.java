package dev.upfront.http;

/**
 * Answers a matched request at once from memory, or declines. It runs on the connection's I/O thread, which serves
 * many connections: it must never wait (no database, no files, no blocking write; {@link Exchange#send} only), and
 * when it declines it must have written nothing, since the request then goes to its {@link Route} on a thread of its
 * own.
 */
@FunctionalInterface
interface InlineRoute {
    /** @return true when the request was answered (through {@link Exchange#send}), false to leave it to the route */
    boolean tryAnswer(Exchange exchange);
}
