package dev.upfront.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The address resolver of an outgoing HTTP client: resolves a host once, checks every address against the
 * {@link AddressPolicy}, and hands the client exactly those addresses to connect to. Checking and connecting
 * use the same answer, so a DNS record that changes in between (rebinding) cannot slip a refused address
 * through; the request still carries the original host name (Host header, TLS SNI and certificate check).
 */
public final class CheckedResolver implements SocketAddressResolver {
    /** Host name to addresses; the system resolver in production, a fixed table in tests. */
    @FunctionalInterface
    public interface Lookup {
        Lookup SYSTEM = host -> Arrays.asList(InetAddress.getAllByName(host));

        List<InetAddress> addresses(String host) throws UnknownHostException;
    }

    /** The host resolves to an address the policy refuses (its text names no address: it may reach a client). */
    public static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String host) {
            super(host + ": refused address");
        }
    }

    /**
     * A numeric IPv4 host with a part that has a leading zero: Java reads {@code 0177.0.0.1} as 177.0.0.1, while
     * curl, browsers and the C library read it as octal, 127.0.0.1. Whoever wrote it may mean either: refused.
     */
    private static final Pattern AMBIGUOUS_IPV4 = Pattern.compile("[0-9.]*(?:^|\\.)0[0-9]+[0-9.]*");

    private final AddressPolicy policy;
    private final Lookup lookup;

    public CheckedResolver(AddressPolicy policy, Lookup lookup) {
        this.policy = policy;
        this.lookup = lookup;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        if (AMBIGUOUS_IPV4.matcher(host).matches()) {
            promise.failed(new RefusedAddressException(host));
            return;
        }
        List<InetAddress> addresses;
        try {
            addresses = lookup.addresses(host);
            // One refused address refuses the host: an answer mixing public and internal addresses is an attack.
            if (addresses.isEmpty() || !addresses.stream().allMatch(policy::allows)) {
                promise.failed(new RefusedAddressException(host));
                return;
            }
        } catch (UnknownHostException | RuntimeException e) {
            promise.failed(e);
            return;
        }
        promise.succeeded(addresses.stream().map(a -> new InetSocketAddress(a, port)).toList());
    }
}
