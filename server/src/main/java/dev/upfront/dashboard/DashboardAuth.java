package dev.upfront.dashboard;

import dev.upfront.auth.Hmac;
import dev.upfront.auth.KeyPair;
import dev.upfront.auth.KeyRing;
import dev.upfront.protocol.UploadToken;
import dev.upfront.protocol.UrlSigning;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the dashboard, and how a browser proves it. Sign-in takes the private key or the admin password;
 * the session is a signed, expiring token in a cookie, so any instance with the same keys accepts it (no
 * process memory, no database). Its signing key is HMAC-SHA256(first private key, "upfront-dashboard-session-v1"):
 * nothing new to configure, and replacing the first key signs everyone out. The CSRF token is an HMAC of the
 * session token under the same key, so a page that was served the session can send it, and another site cannot.
 */
public final class DashboardAuth {
    /** How long a session lasts from sign-in. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    /** How long an upload token handed to the page lives. */
    static final long UPLOAD_TOKEN_SECONDS = 600;
    private static final String VERSION = "s1";
    private static final String ADMIN = "admin";

    /** A verified session: who signed in (a public key, or "admin"), and its CSRF token. */
    public record Session(String token, String subject, String csrf) {}

    /** The result of a sign-in attempt. */
    public enum Outcome { SIGNED_IN, REFUSED, THROTTLED }

    public record SignIn(Outcome outcome, Optional<Session> session) {}

    private final KeyRing keys;
    private final Optional<AdminPassword> password;
    private final InstantSource clock;
    private final SignInThrottle throttle;
    private final String sessionKey;
    /** Signs admin sessions: bound to the password too, so that a new password ends the old one's sessions. */
    private final Optional<String> adminSessionKey;

    public DashboardAuth(KeyRing keys, Optional<AdminPassword> password, InstantSource clock) {
        this.keys = keys;
        this.password = password;
        this.clock = clock;
        this.throttle = new SignInThrottle(clock);
        this.sessionKey = Hmac.sha256Hex(keys.pairs().getFirst().privateKey(), "upfront-dashboard-session-v1");
        this.adminSessionKey = password.map(p -> Hmac.sha256Hex(sessionKey, "admin:" + p.binding()));
    }

    /** Checks the secret (a private key, else the admin password) unless {@code address} is throttled. */
    public SignIn signIn(String secret, String address) {
        SignInThrottle.Attempt attempt = throttle.attempt(address);
        if (attempt == null) {
            return new SignIn(Outcome.THROTTLED, Optional.empty());
        }
        String given = secret == null ? "" : secret.strip();
        Optional<String> subject = given.isEmpty() ? Optional.empty() : keys.byPrivateKey(given).map(KeyPair::publicKey);
        if (subject.isEmpty() && !given.isEmpty() && password.isPresent() && password.get().matches(given)) {
            subject = Optional.of(ADMIN);
        }
        if (subject.isEmpty()) {
            return new SignIn(Outcome.REFUSED, Optional.empty()); // the attempt stays counted
        }
        attempt.succeeded();
        long expires = clock.instant().plus(SESSION_LIFETIME).getEpochSecond();
        String body = VERSION + "." + expires + "." + subject.get();
        String token = body + "." + Hmac.sha256Hex(signingKey(subject.get()).orElseThrow(), body);
        return new SignIn(Outcome.SIGNED_IN, Optional.of(session(token, subject.get())));
    }

    /** The session a cookie value proves: signature good, not expired, its key still active. */
    public Optional<Session> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        // s1.<expires>.<subject>.<hmac>; the subject (a public key) may itself hold dots.
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        int last = token.lastIndexOf('.');
        if (first < 0 || second < 0 || last <= second || !token.substring(0, first).equals(VERSION)) {
            return Optional.empty();
        }
        String body = token.substring(0, last);
        String subject = token.substring(second + 1, last);
        Optional<String> signingKey = signingKey(subject);
        if (signingKey.isEmpty() || !Hmac.hexEquals(Hmac.sha256Hex(signingKey.get(), body), token.substring(last + 1))) {
            return Optional.empty();
        }
        long expires;
        try {
            expires = Long.parseLong(token.substring(first + 1, second));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        boolean active = subject.equals(ADMIN) || keys.byPublicKey(subject).isPresent();
        if (!active || clock.instant().getEpochSecond() >= expires) {
            return Optional.empty();
        }
        return Optional.of(session(token, subject));
    }

    /** The key that signs {@code subject}'s sessions; none for admin without a password. */
    private Optional<String> signingKey(String subject) {
        return subject.equals(ADMIN) ? adminSessionKey : Optional.of(sessionKey);
    }

    /** Whether {@code given} is the session's CSRF token (constant time). */
    public static boolean csrfMatches(Session session, String given) {
        return given != null && Hmac.hexEquals(session.csrf(), given);
    }

    /**
     * A v2 upload JWT for exactly {@code fields}, signed with the first key pair, living ten minutes: what the page
     * hands to upfront.js.
     */
    public String uploadToken(Map<String, String> fields) {
        KeyPair pair = keys.pairs().getFirst();
        long now = clock.instant().getEpochSecond();
        return UploadToken.sign(pair.publicKey(), pair.privateKey(), fields, now, now + UPLOAD_TOKEN_SECONDS);
    }

    /**
     * {@code url} (a delivery URL starting with {@code urlEndpoint}, as the page built it) signed with the first key
     * pair, valid for {@code expireSeconds} from now: the page's signed-URL generator, which never holds the key.
     *
     * @throws IllegalArgumentException when the URL is not under the endpoint
     */
    public String signUrl(String urlEndpoint, String url, long expireSeconds) {
        if (!url.startsWith(urlEndpoint + "/") || url.contains("ik-s=") || url.contains("ik-t=")) {
            throw new IllegalArgumentException("the URL should be an unsigned URL of " + urlEndpoint + "/");
        }
        long expiresAt = clock.instant().getEpochSecond() + expireSeconds;
        return UrlSigning.sign(keys.pairs().getFirst().privateKey(), urlEndpoint, url, expiresAt);
    }

    private Session session(String token, String subject) {
        return new Session(token, subject, Hmac.sha256Hex(sessionKey, "csrf:" + token));
    }
}
