package dev.upfront.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Which addresses the server may connect to on a user's behalf (URL uploads, later webhooks). By default only
 * global unicast addresses that are not the machine's own: never loopback, private, link-local, shared (CGNAT),
 * documentation, benchmarking, multicast or reserved ranges (IANA's special-purpose registries). IPv6 forms that
 * carry an IPv4 address (mapped {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96},
 * 6to4 {@code 2002::/16}) are judged by that IPv4 address, since that is the host the packets reach.
 *
 * <p>With {@code allowPrivate}, private, loopback and own addresses are allowed too (tests, private networks);
 * link-local and cloud metadata (169.254.169.254, fd00:ec2::254), multicast, reserved and the other special ranges never are.
 */
public final class AddressPolicy {
    /** What an address is, as far as this policy cares. */
    public enum Kind {
        /** Reachable on the internet, not this machine. */
        GLOBAL,
        /** RFC 1918, shared address space (100.64.0.0/10), IPv6 unique local (fc00::/7). */
        PRIVATE,
        LOOPBACK,
        /** One of this machine's interface addresses. */
        OWN,
        /** Everything else: unspecified, link-local, documentation, multicast, reserved, Teredo... */
        SPECIAL
    }

    private record Range(byte[] network, int prefix, Kind kind) {
        static Range of(String cidr, Kind kind) {
            int slash = cidr.indexOf('/');
            return new Range(literal(cidr.substring(0, slash)).getAddress(), Integer.parseInt(cidr.substring(slash + 1)), kind);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private static final List<Range> V4 = List.of(
            Range.of("0.0.0.0/8", Kind.SPECIAL),
            Range.of("10.0.0.0/8", Kind.PRIVATE),
            Range.of("100.64.0.0/10", Kind.PRIVATE),
            Range.of("127.0.0.0/8", Kind.LOOPBACK),
            Range.of("169.254.0.0/16", Kind.SPECIAL),
            Range.of("172.16.0.0/12", Kind.PRIVATE),
            Range.of("192.0.0.0/24", Kind.SPECIAL),
            Range.of("192.0.2.0/24", Kind.SPECIAL),
            Range.of("192.88.99.0/24", Kind.SPECIAL),
            Range.of("192.168.0.0/16", Kind.PRIVATE),
            Range.of("198.18.0.0/15", Kind.SPECIAL),
            Range.of("198.51.100.0/24", Kind.SPECIAL),
            Range.of("203.0.113.0/24", Kind.SPECIAL),
            Range.of("224.0.0.0/4", Kind.SPECIAL),
            Range.of("240.0.0.0/4", Kind.SPECIAL));

    /** Inside 2000::/3, the only IPv6 block with global unicast, these are not global. */
    private static final List<Range> V6_IN_GLOBAL_BLOCK = List.of(
            Range.of("2001::/23", Kind.SPECIAL), // IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID
            Range.of("2001:db8::/32", Kind.SPECIAL),
            Range.of("3fff::/20", Kind.SPECIAL));
    private static final Range V6_GLOBAL_BLOCK = Range.of("2000::/3", Kind.GLOBAL);
    /** The cloud metadata service's IPv6 address (AWS) sits in unique-local space; like 169.254.169.254, never. */
    private static final Range V6_METADATA = Range.of("fd00:ec2::254/128", Kind.SPECIAL);
    private static final Range V6_UNIQUE_LOCAL = Range.of("fc00::/7", Kind.PRIVATE);
    private static final Range V6_NAT64 = Range.of("64:ff9b::/96", Kind.GLOBAL);
    private static final Range V6_6TO4 = Range.of("2002::/16", Kind.GLOBAL);
    private static final Range V6_MAPPED = Range.of("::ffff:0:0/96", Kind.GLOBAL);
    private static final Range V6_COMPATIBLE = Range.of("::/96", Kind.GLOBAL);

    private final boolean allowPrivate;
    private final Supplier<Set<InetAddress>> ownAddresses;

    /**
     * @param ownAddresses this machine's addresses, asked on every check (interfaces come and go)
     */
    public AddressPolicy(boolean allowPrivate, Supplier<Set<InetAddress>> ownAddresses) {
        this.allowPrivate = allowPrivate;
        this.ownAddresses = ownAddresses;
    }

    /** The policy for this machine: its own addresses are those of its network interfaces right now. */
    public static AddressPolicy forThisMachine(boolean allowPrivate) {
        return new AddressPolicy(allowPrivate, AddressPolicy::interfaceAddresses);
    }

    /** Whether a connection to {@code address} may be made. */
    public boolean allows(InetAddress address) {
        return switch (kindOf(address)) {
            case GLOBAL -> true;
            case PRIVATE, LOOPBACK, OWN -> allowPrivate;
            case SPECIAL -> false;
        };
    }

    /** The kind of {@code address}, its own-ness included. */
    public Kind kindOf(InetAddress address) {
        Kind kind = classify(address);
        if (kind == Kind.GLOBAL || kind == Kind.PRIVATE) {
            Set<String> own = ownAddresses.get().stream().map(AddressPolicy::key).collect(Collectors.toSet());
            if (own.contains(key(address)) || own.contains(key(target(address)))) {
                return Kind.OWN;
            }
        }
        return kind;
    }

    /** The kind of a literal address, not knowing which addresses are this machine's. */
    public static Kind classify(InetAddress address) {
        byte[] b = target(address).getAddress();
        if (b.length == 4) {
            return V4.stream().filter(r -> r.contains(b)).map(Range::kind).findFirst().orElse(Kind.GLOBAL);
        }
        if (Arrays.equals(b, new byte[16])) {
            return Kind.SPECIAL; // ::, the unspecified address
        }
        if (b[15] == 1 && Arrays.equals(Arrays.copyOf(b, 15), new byte[15])) {
            return Kind.LOOPBACK; // ::1
        }
        if (V6_METADATA.contains(b)) {
            return Kind.SPECIAL;
        }
        if (V6_UNIQUE_LOCAL.contains(b)) {
            return Kind.PRIVATE;
        }
        if (!V6_GLOBAL_BLOCK.contains(b)) {
            return Kind.SPECIAL; // link-local, multicast, discard-only 100::/64, local NAT64 64:ff9b:1::/48...
        }
        return V6_IN_GLOBAL_BLOCK.stream().anyMatch(r -> r.contains(b)) ? Kind.SPECIAL : Kind.GLOBAL;
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or the address itself. */
    static InetAddress target(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return address;
        }
        boolean unspecifiedOrLoopback = b[15] == 0 || b[15] == 1;
        if (V6_MAPPED.contains(b) || V6_NAT64.contains(b)
                || (V6_COMPATIBLE.contains(b) && !(unspecifiedOrLoopback && Arrays.equals(Arrays.copyOf(b, 15), new byte[15])))) {
            return v4(Arrays.copyOfRange(b, 12, 16));
        }
        if (V6_6TO4.contains(b)) {
            return v4(Arrays.copyOfRange(b, 2, 6));
        }
        return address;
    }

    private static InetAddress v4(byte[] four) {
        try {
            return InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** An address as its bytes: equality without the IPv6 scope id. */
    private static String key(InetAddress address) {
        return HexFormat.of().formatHex(address.getAddress());
    }

    /** Parses an address literal (never a host name: no DNS). */
    static InetAddress literal(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an address literal: " + text, e);
        }
    }

    private static Set<InetAddress> interfaceAddresses() {
        try {
            return NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .collect(Collectors.toSet());
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list this machine's network interfaces", e);
        }
    }
}
