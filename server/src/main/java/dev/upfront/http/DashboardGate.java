package dev.upfront.http;

import dev.upfront.dashboard.DashboardAuth;
import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;

/** Reads the dashboard's session cookie and checks the CSRF header that every state-changing call must carry. */
final class DashboardGate {
    static final String COOKIE = "upfront_session";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private DashboardGate() {}

    /** The session of the cookie, if valid. */
    static Optional<DashboardAuth.Session> session(Exchange ex, DashboardAuth auth) {
        for (HttpCookie cookie : Request.getCookies(ex.request())) {
            if (cookie.getName().equals(COOKIE)) {
                Optional<DashboardAuth.Session> session = auth.verify(cookie.getValue());
                if (session.isPresent()) {
                    return session;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A signed-in session whose request carries its CSRF token ({@code given}, from the header or a form field).
     * Every call made with the cookie is checked, reads too: the page always sends the token.
     */
    static DashboardAuth.Session require(Exchange ex, DashboardAuth auth, String given) {
        DashboardAuth.Session session = session(ex, auth).orElseThrow(() -> new ApiException(ErrorCode.MISSING_AUTH));
        if (!DashboardAuth.csrfMatches(session, given)) {
            throw new ApiException(ErrorCode.DASHBOARD_CSRF);
        }
        return session;
    }

    /** Whether the request carries the session cookie at all (valid or not). */
    static boolean hasCookie(Exchange ex) {
        return Request.getCookies(ex.request()).stream().anyMatch(c -> c.getName().equals(COOKIE));
    }

    /**
     * Whether the request came over HTTPS, directly or through a proxy saying so in X-Forwarded-Proto. Trusting the
     * header is safe here: it only adds {@code Secure} to the cookie, which a browser on plain HTTP then refuses to
     * store; a lie can only lock the liar out.
     */
    static boolean overHttps(Exchange ex) {
        String proto = ex.header("X-Forwarded-Proto");
        return ex.request().isSecure() || (proto != null && proto.strip().equalsIgnoreCase("https"));
    }
}
