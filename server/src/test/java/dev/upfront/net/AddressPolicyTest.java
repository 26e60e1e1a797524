package dev.upfront.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.net.AddressPolicy.Kind;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The classifier over literal addresses only: nothing here resolves a name or opens a connection. */
class AddressPolicyTest {
    /** A global address standing in for "this machine's public address" (never contacted). */
    static final InetAddress OWN_PUBLIC = AddressPolicy.literal("198.40.7.1");
    static final AddressPolicy STRICT = new AddressPolicy(false, () -> Set.of(OWN_PUBLIC, AddressPolicy.literal("2a00:1450::7")));
    static final AddressPolicy OPEN = new AddressPolicy(true, () -> Set.of(OWN_PUBLIC, AddressPolicy.literal("2a00:1450::7")));

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            // IPv4 global
            "8.8.8.8, GLOBAL", "1.1.1.1, GLOBAL", "93.184.216.34, GLOBAL", "100.63.255.255, GLOBAL", "100.128.0.0, GLOBAL",
            "172.15.255.255, GLOBAL", "172.32.0.0, GLOBAL", "192.0.1.1, GLOBAL", "192.0.3.1, GLOBAL", "198.17.255.255, GLOBAL",
            "198.20.0.0, GLOBAL", "198.51.99.1, GLOBAL", "203.0.112.1, GLOBAL", "223.255.255.255, GLOBAL", "11.0.0.1, GLOBAL",
            // IPv4 private and loopback
            "10.0.0.1, PRIVATE", "10.255.255.255, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE",
            "192.168.1.1, PRIVATE", "100.64.0.1, PRIVATE", "100.127.255.255, PRIVATE",
            "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK",
            // IPv4 special
            "0.0.0.0, SPECIAL", "0.1.2.3, SPECIAL", "169.254.169.254, SPECIAL", "169.254.0.1, SPECIAL",
            "192.0.0.1, SPECIAL", "192.0.0.170, SPECIAL", "192.0.2.1, SPECIAL", "198.51.100.7, SPECIAL", "203.0.113.9, SPECIAL",
            "192.88.99.1, SPECIAL", "198.18.0.1, SPECIAL", "198.19.255.255, SPECIAL", "224.0.0.1, SPECIAL",
            "239.255.255.250, SPECIAL", "240.0.0.1, SPECIAL", "255.255.255.255, SPECIAL",
            // IPv6 global
            "2606:4700:4700::1111, GLOBAL", "2001:4860:4860::8888, GLOBAL", "2a00:1450:4001::1, GLOBAL", "2001:200::1, GLOBAL",
            "3ffe::1, GLOBAL",
            // IPv6 private, loopback, special
            "::1, LOOPBACK", "fc00::1, PRIVATE", "fd12:3456::1, PRIVATE", "fd00:ec2::254, SPECIAL", "fd00:ec2::253, PRIVATE",
            "::, SPECIAL", "fe80::1, SPECIAL", "febf::1, SPECIAL", "ff02::1, SPECIAL", "ff05::2, SPECIAL",
            "2001:db8::1, SPECIAL", "2001::1, SPECIAL", "2001:0:4136:e378:8000:63bf:3fff:fdd2, SPECIAL", "2001:2::1, SPECIAL",
            "2001:10::1, SPECIAL", "100::1, SPECIAL", "100::ffff:1, SPECIAL", "64:ff9b:1::a00:1, SPECIAL", "3fff::1, SPECIAL",
            "::ffff:0:a00:1, SPECIAL", "4000::1, SPECIAL", "5f00::1, SPECIAL",
            // IPv6 forms that carry an IPv4 address are judged by it
            "::ffff:127.0.0.1, LOOPBACK", "::ffff:10.0.0.1, PRIVATE", "::ffff:8.8.8.8, GLOBAL", "::ffff:169.254.169.254, SPECIAL",
            "::127.0.0.1, LOOPBACK", "::10.1.2.3, PRIVATE", "::169.254.169.254, SPECIAL", "::8.8.8.8, GLOBAL", "::0.0.0.2, SPECIAL",
            "64:ff9b::127.0.0.1, LOOPBACK", "64:ff9b::a9fe:a9fe, SPECIAL", "64:ff9b::192.168.0.1, PRIVATE", "64:ff9b::8.8.8.8, GLOBAL",
            "2002:7f00:1::, LOOPBACK", "2002:a00:1::1, PRIVATE", "2002:a9fe:a9fe::, SPECIAL", "2002:c000:0201::1, SPECIAL",
            "2002:808:808::1, GLOBAL",
    })
    void classifiesLiterals(String literal, Kind expected) {
        assertThat(AddressPolicy.classify(AddressPolicy.literal(literal))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: strict {1}, open {2}")
    @CsvSource({
            "8.8.8.8, true, true", "2606:4700:4700::1111, true, true", "::ffff:8.8.8.8, true, true",
            "127.0.0.1, false, true", "::1, false, true", "10.0.0.1, false, true", "fd00::1, false, true",
            "100.64.0.1, false, true", "::ffff:192.168.0.1, false, true", "2002:7f00:1::, false, true",
            // this machine's own global addresses, in every form
            "198.40.7.1, false, true", "::ffff:198.40.7.1, false, true", "64:ff9b::c628:701, false, true",
            "2002:c628:0701::1, false, true", "2a00:1450::7, false, true",
            // never, whatever the configuration
            "169.254.169.254, false, false", "fd00:ec2::254, false, false", "fe80::1, false, false", "0.0.0.0, false, false", "::, false, false",
            "224.0.0.1, false, false", "255.255.255.255, false, false", "192.0.2.1, false, false",
            "198.51.100.1, false, false", "203.0.113.1, false, false", "192.0.0.9, false, false", "2001::1, false, false",
            "100::1, false, false", "2001:db8::1, false, false", "ff02::1, false, false", "::ffff:169.254.169.254, false, false",
    })
    void strictAllowsOnlyGlobalAndOpenAddsPrivateLoopbackAndOwn(String literal, boolean strict, boolean open) {
        InetAddress a = AddressPolicy.literal(literal);
        assertThat(STRICT.allows(a)).as("strict").isEqualTo(strict);
        assertThat(OPEN.allows(a)).as("open").isEqualTo(open);
    }

    @Test
    void ownAddressesAreRecognisedInEveryForm() {
        assertThat(STRICT.kindOf(OWN_PUBLIC)).isEqualTo(Kind.OWN);
        assertThat(STRICT.kindOf(AddressPolicy.literal("::ffff:198.40.7.1"))).isEqualTo(Kind.OWN);
        assertThat(STRICT.kindOf(AddressPolicy.literal("198.40.7.2"))).isEqualTo(Kind.GLOBAL);
    }

    @Test
    void ownAddressesAreAskedForOnEveryCheck() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        AddressPolicy policy = new AddressPolicy(false, () -> {
            asked.incrementAndGet();
            return Set.of();
        });
        policy.allows(AddressPolicy.literal("8.8.8.8"));
        policy.allows(AddressPolicy.literal("8.8.4.4"));
        assertThat(asked.get()).as("an interface that comes up later is seen").isEqualTo(2);
    }

    @Test
    void thisMachinesInterfaceAddressesAreRefusedByTheStrictPolicy() throws Exception {
        List<InetAddress> mine = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .collect(Collectors.toList());
        assertThat(mine).as("at least loopback").isNotEmpty();
        AddressPolicy strict = AddressPolicy.forThisMachine(false);
        for (InetAddress a : mine) {
            assertThat(strict.allows(a)).as(a.toString()).isFalse();
            assertThat(strict.kindOf(a)).as(a.toString()).isNotEqualTo(Kind.GLOBAL);
        }
    }

    @Test
    void literalNeverResolvesNames() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AddressPolicy.literal("localhost"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
