package dev.upfront.secrets;

import java.util.function.Supplier;

/**
 * Secrets the server makes up itself and must keep: generated once, then the same for every instance and every
 * restart (the webhook signing secret when none is configured).
 */
public interface Secrets {

    /**
     * The secret stored under {@code name}; when there is none yet, {@code generate}'s value is stored and returned.
     * Concurrent first calls, in this process or in several instances, all return the one value that was stored.
     */
    String getOrCreate(String name, Supplier<String> generate);
}
