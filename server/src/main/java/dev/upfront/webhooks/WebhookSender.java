package dev.upfront.webhooks;

import dev.upfront.net.AddressPolicy;
import dev.upfront.net.CheckedHttpClients;
import dev.upfront.net.CheckedResolver;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's due deliveries: one loop per instance claims them (at most {@value #MAX_ACCOUNT_IN_FLIGHT} to
 * the account's endpoints and {@value #MAX_IN_FLIGHT} to those uploads named in flight) and POSTs each on a virtual
 * thread. A 2xx within {@link #TIMEOUT} is success; a 410 stops the endpoint; anything
 * else (another status, a redirect, which is never followed, a refused address, a timeout) is retried on the
 * {@link RetrySchedule}, with the same {@code webhook-id}. Targets go through the URL-fetch address rules (a
 * {@link CheckedResolver}). The loop sleeps until the next delivery is due, at most {@link #POLL} (deliveries
 * other instances enqueued), and wakes at once when this instance enqueues one.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Longer than an attempt can take: a claim is not taken over while its sender still works on it. */
    private static final Duration LEASE = TIMEOUT.plusSeconds(60);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final int MAX_IN_FLIGHT = 16;
    private static final int MAX_ACCOUNT_IN_FLIGHT = 8;

    /** Deliveries to some targets, sent at most as many at once as the lane has slots. */
    private record Lane(Outbox.Targets targets, Semaphore slots) {}

    private final Outbox outbox;
    private final WebhookSignature signature;
    private final RetrySchedule schedule;
    private final InstantSource clock;
    private final Consumer<String> outcomes;
    private final HttpClient client;
    private final String instance = UUID.randomUUID().toString();
    /**
     * The account's endpoints (UPFRONT_WEBHOOK_URL) have slots of their own: a slow endpoint that an upload named
     * in its {@code webhookUrl} (any holder of a client-side credential may name one) can hold every slot of the
     * other lane for {@link #TIMEOUT} per delivery, but never delay the account's deliveries.
     */
    private final List<Lane> lanes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean woken;
    private volatile boolean running = true;
    private Thread loop;

    /**
     * @param accountTargets the account's configured endpoints, sent in a lane of their own
     * @param outcomes told {@code delivered}, {@code retry}, {@code gone} or {@code failed} after each attempt
     */
    public WebhookSender(Outbox outbox, WebhookSignature signature, RetrySchedule schedule, AddressPolicy policy,
                         CheckedResolver.Lookup lookup, InstantSource clock, Set<String> accountTargets,
                         Consumer<String> outcomes) {
        this.outbox = outbox;
        this.lanes = List.of(new Lane(Outbox.Targets.only(accountTargets), new Semaphore(MAX_ACCOUNT_IN_FLIGHT)),
                new Lane(Outbox.Targets.allBut(accountTargets), new Semaphore(MAX_IN_FLIGHT)));
        this.signature = signature;
        this.schedule = schedule;
        this.clock = clock;
        this.outcomes = outcomes;
        this.client = CheckedHttpClients.start("webhooks", policy, lookup, Duration.ofSeconds(10), TIMEOUT);
    }

    public void start() {
        loop = Thread.ofVirtual().name("upfront-webhook-sender").start(this::run);
    }

    /** Something was enqueued or a slot freed: look for due deliveries now. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (running) {
            try {
                // A read first: an idle server only looks, and takes SQLite's write lock only to claim.
                Optional<Instant> next = outbox.nextDue();
                if (next.isPresent() && !next.get().isAfter(clock.instant())) {
                    int started = 0;
                    for (Lane lane : lanes) {
                        started += claimAndStart(lane);
                    }
                    if (started > 0) {
                        continue; // there may be more
                    }
                    // Claimed by another instance, or every lane with due deliveries is full: a freed slot wakes us.
                    next = Optional.empty();
                }
                sleepUntil(next.orElse(clock.instant().plus(POLL)));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Webhook sender: {}", e.toString());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Claims what the lane has room for and sends each on a thread of its own; how many were started. */
    private int claimAndStart(Lane lane) throws InterruptedException {
        int free = lane.slots().availablePermits();
        if (free == 0) {
            return 0;
        }
        String claim = instance + ":" + UUID.randomUUID();
        List<Outbox.Delivery> due = outbox.claim(claim, clock.instant(), LEASE, free, lane.targets());
        for (Outbox.Delivery d : due) {
            lane.slots().acquire();
            Thread.ofVirtual().name("upfront-webhook").start(() -> {
                try {
                    attempt(d, claim);
                } finally {
                    lane.slots().release();
                    wake();
                }
            });
        }
        return due.size();
    }

    /** Sleeps until {@code at}, at most {@link #POLL}, or until {@link #wake()}. */
    private void sleepUntil(Instant at) throws InterruptedException {
        long millis = Math.clamp(Duration.between(clock.instant(), at).toMillis(), 1, POLL.toMillis());
        lock.lock();
        try {
            if (!woken && running) {
                wakeUp.await(millis, TimeUnit.MILLISECONDS);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    private void attempt(Outbox.Delivery d, String claim) {
        int attempts = d.attempts() + 1;
        int status = -1;
        String result;
        try {
            status = post(d);
            result = "HTTP " + status;
        } catch (TimeoutException e) {
            result = "no answer within " + TIMEOUT.toSeconds() + " s";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            result = cause instanceof CheckedResolver.RefusedAddressException ? "address refused" : cause.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // stopping: the lease runs out and the delivery is sent later
        } catch (RuntimeException e) {
            result = e.toString();
        }
        String target = shown(d.targetUrl());
        try {
            if (status >= 200 && status < 300) {
                outbox.delivered(d.deliveryId(), claim, attempts, result);
                outcomes.accept("delivered");
                log.info("Webhook {} {} delivered to {} (attempt {})", d.eventType(), d.eventId(), target, attempts);
            } else if (status == 410) {
                outbox.giveUp(d.deliveryId(), claim, attempts, "dead", result);
                int stopped = outbox.stopTarget(d.targetUrl(), "the endpoint answered 410 to event " + d.eventId());
                outcomes.accept("gone");
                log.warn("Webhook endpoint {} answered 410 Gone: {} {} and {} other pending delivery(ies) stopped",
                        target, d.eventType(), d.eventId(), stopped);
            } else {
                Optional<Instant> next = schedule.next(attempts, d.createdAt(), clock.instant());
                if (next.isPresent()) {
                    outbox.retryAt(d.deliveryId(), claim, attempts, next.get(), result);
                    outcomes.accept("retry");
                    log.warn("Webhook {} {} to {} failed (attempt {}: {}); retry at {}", d.eventType(), d.eventId(), target,
                            attempts, result, next.get());
                } else {
                    outbox.giveUp(d.deliveryId(), claim, attempts, "failed", result);
                    outcomes.accept("failed");
                    log.warn("Webhook {} {} to {} given up after {} attempts: {}", d.eventType(), d.eventId(), target,
                            attempts, result);
                }
            }
        } catch (RuntimeException e) {
            // The outcome could not be recorded: the lease runs out and the delivery is attempted again.
            log.warn("Webhook {} {}: outcome not recorded: {}", d.eventType(), d.eventId(), e.toString());
        }
    }

    private int post(Outbox.Delivery d) throws InterruptedException, TimeoutException, ExecutionException {
        URI uri = URI.create(d.targetUrl());
        Request request = client.newRequest(uri)
                .method(HttpMethod.POST)
                .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .body(new StringRequestContent("application/json", d.body(), StandardCharsets.UTF_8));
        Map<String, String> headers = signature.headers(d.eventId(), d.body(), clock.instant());
        request.headers(h -> headers.forEach(h::put));
        // The status decides; the body is never read. Buffering it failed a 2xx over 2 MB (and held it in memory).
        InputStreamResponseListener answer = new InputStreamResponseListener();
        request.send(answer);
        Response response = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            answer.getInputStream().close(); // drops the rest of the body and the connection with it
        } catch (IOException ignored) {
            // the status is known: nothing else is wanted from this answer
        }
        return response.getStatus();
    }

    /** A target as logs show it: without user info or query, which may hold a credential. */
    static String shown(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
        } catch (IllegalArgumentException e) {
            return "(unparsable URL)";
        }
    }

    @Override
    public void close() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        try {
            client.stop();
        } catch (Exception e) {
            log.debug("Webhook client stop: {}", e.toString());
        }
    }
}
