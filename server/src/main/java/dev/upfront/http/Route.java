package dev.upfront.http;

/** Handles one matched request. May block. Throws {@link dev.upfront.error.ApiException} for client errors. */
@FunctionalInterface
public interface Route {
    void handle(Exchange exchange) throws Exception;
}
