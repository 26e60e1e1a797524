package dev.upfront.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook deliveries waiting to be sent, durable across restarts and shared by every instance on one database.
 * A sender {@link #claim}s due deliveries under a lease; no two claims hold one delivery at once, and a lease that
 * runs out (its sender died) frees the delivery again. The finishing calls only act while the claim is still held.
 */
public interface Outbox {

    /** One event for one target. */
    record Delivery(String deliveryId, String eventId, String eventType, String targetUrl, String body, int attempts,
                    Instant createdAt) {}

    /** Stores new deliveries, due at once. */
    void enqueue(List<Delivery> deliveries, Instant now);

    /**
     * Which deliveries a claim may take, by target URL: those to one of {@code urls} ({@code listed}), or those to
     * any other. {@link #ALL} takes every delivery.
     */
    record Targets(Set<String> urls, boolean listed) {
        public static final Targets ALL = new Targets(Set.of(), false);

        public static Targets only(Set<String> urls) {
            return new Targets(urls, true);
        }

        public static Targets allBut(Set<String> urls) {
            return new Targets(urls, false);
        }
    }

    /**
     * Claims at most {@code limit} deliveries to {@code targets} that are due at {@code now} and not held by another
     * live claim, the longest due first.
     *
     * @param claim a value unique to this call; the finishing calls name it
     */
    List<Delivery> claim(String claim, Instant now, Duration lease, int limit, Targets targets);

    /** As {@link #claim(String, Instant, Duration, int, Targets)}, from every target. */
    default List<Delivery> claim(String claim, Instant now, Duration lease, int limit) {
        return claim(claim, now, lease, limit, Targets.ALL);
    }

    /** The receiver acknowledged it: never sent again. */
    void delivered(String deliveryId, String claim, int attempts, String result);

    /** Sends it again at {@code next}. */
    void retryAt(String deliveryId, String claim, int attempts, Instant next, String result);

    /** Never sent again: {@code dead} (the receiver answered 410) or {@code failed} (retried long enough). */
    void giveUp(String deliveryId, String claim, int attempts, String status, String result);

    /** A 410 stops the endpoint: every pending delivery to {@code targetUrl} is marked dead. @return how many */
    int stopTarget(String targetUrl, String result);

    /**
     * Frees every claim at once. Only for a process that knows no other live process can hold one: on the embedded
     * default the database is this process's own, so the claims it finds at start belong to a run that died, and
     * their deliveries need not wait for the lease to run out. @return how many
     */
    int releaseClaims();

    /** When the earliest pending delivery falls due (or its lease runs out), if there is one. */
    Optional<Instant> nextDue();
}
