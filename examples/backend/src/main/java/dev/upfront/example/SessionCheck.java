package dev.upfront.example;

import com.sun.net.httpserver.HttpExchange;

/**
 * ===== YOUR APPLICATION'S HOOK =====
 * Decides whether the request comes from one of your signed-in users before any upload credential is handed out.
 * A real application looks up its own session here (a cookie, the {@code Authorization} header...) and answers
 * false for strangers: anyone who gets credentials can upload to your library.
 *
 * <p>{@link #ACCEPT_ALL}, the example's default, accepts every request, including the sample requests of
 * ImageKit's client-side upload guide (which send {@code Authorization} and {@code CustomHeader} with made-up values).
 */
@FunctionalInterface
public interface SessionCheck {
    SessionCheck ACCEPT_ALL = exchange -> true;

    boolean allows(HttpExchange exchange);
}
