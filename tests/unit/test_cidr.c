// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/cidr.c: prefix parsing and host arithmetic. */
#include <errno.h>
#include <arpa/inet.h>
#include "model/cidr.h"
#include "check.h"

static struct cidr mk(const char *s)
{
	struct cidr c;

	memset(&c, 0, sizeof(c));
	if (cidr_parse(s, &c))
		printf("     (setup: cidr_parse(\"%s\") failed)\n", s);
	return c;
}

static const char *host_str(const struct cidr *c, uint32_t k, char *buf, int size)
{
	struct in_addr a = cidr_host(c, k);

	return inet_ntop(AF_INET, &a, buf, size);
}

static void test_parse(void)
{
	static const char *const bad[] = {
		"10.200.0.1/24",	/* host bits set */
		"1.2.3.4",		/* no prefix length */
		"300.1.1.1/8",		/* octet out of range */
		"10.0.0.0/33",		/* prefix too long */
		"10.0.0.0/abc",		/* not a number */
		"10.0.0.0/8x",		/* trailing garbage */
		"10.0.0.0/",		/* empty prefix length */
		"10.0.0.0/-1",		/* negative */
		"/24",			/* empty address */
		"",			/* empty */
		"10.0.0/8",		/* short address */
		"255.255.255.255.255/32", /* too long for an address */
	};
	struct cidr c;
	char buf[64], name[96];

	memset(&c, 0, sizeof(c));
	CHECK(cidr_parse("10.200.0.0/24", &c) == 0, "parse 10.200.0.0/24 ok");
	CHECK(c.net.s_addr == inet_addr("10.200.0.0"), "parse 10.200.0.0/24 net");
	CHECK(c.prefixlen == 24, "parse 10.200.0.0/24 prefixlen");
	CHECK_STR(cidr_str(&c, buf, sizeof(buf)), "10.200.0.0/24", "cidr_str round trip");

	CHECK(cidr_parse("0.0.0.0/0", &c) == 0 && c.prefixlen == 0 && c.net.s_addr == 0,
	      "parse 0.0.0.0/0 ok");
	CHECK(cidr_parse("10.200.0.1/32", &c) == 0 && c.prefixlen == 32 &&
	      c.net.s_addr == inet_addr("10.200.0.1"), "parse 10.200.0.1/32 ok (no host bits)");
	CHECK(cidr_parse("10.200.0.4/30", &c) == 0 && c.prefixlen == 30, "parse 10.200.0.4/30 ok");
	CHECK(cidr_parse("10.200.0.5/30", &c) == -EINVAL, "parse 10.200.0.5/30 rejected (host bits)");

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "parse \"%s\" rejected with -EINVAL", bad[i]);
		CHECK(cidr_parse(bad[i], &c) == -EINVAL, name);
	}
}

static void test_hosts(void)
{
	struct cidr c24 = mk("10.200.0.0/24"), c30 = mk("10.200.0.4/30");
	struct cidr c31 = mk("10.200.0.6/31"), c32 = mk("10.200.0.9/32");
	struct cidr c0 = mk("0.0.0.0/0"), c16 = mk("172.16.0.0/16");
	char buf[INET_ADDRSTRLEN];

	CHECK(cidr_host_count(&c24) == 254, "host_count /24 == 254");
	CHECK(cidr_host_count(&c30) == 2, "host_count /30 == 2");
	CHECK(cidr_host_count(&c31) == 2, "host_count /31 == 2 (point-to-point, RFC 3021)");
	CHECK(cidr_host_count(&c32) == 1, "host_count /32 == 1");
	CHECK(cidr_host_count(&c16) == 65534, "host_count /16 == 65534");
	CHECK(cidr_host_count(&c0) == 4294967294u, "host_count /0 == 2^32 - 2");

	CHECK_STR(host_str(&c24, 1, buf, sizeof(buf)), "10.200.0.1", "host /24 k=1 first");
	CHECK_STR(host_str(&c24, 2, buf, sizeof(buf)), "10.200.0.2", "host /24 k=2");
	CHECK_STR(host_str(&c24, cidr_host_count(&c24), buf, sizeof(buf)), "10.200.0.254",
		  "host /24 k=count last (not broadcast)");
	CHECK_STR(host_str(&c30, 1, buf, sizeof(buf)), "10.200.0.5", "host /30 first");
	CHECK_STR(host_str(&c30, 2, buf, sizeof(buf)), "10.200.0.6", "host /30 last");
	CHECK_STR(host_str(&c31, 1, buf, sizeof(buf)), "10.200.0.6", "host /31 first is the network address");
	CHECK_STR(host_str(&c31, 2, buf, sizeof(buf)), "10.200.0.7", "host /31 last");
	CHECK_STR(host_str(&c32, 1, buf, sizeof(buf)), "10.200.0.9", "host /32 only");
	CHECK_STR(host_str(&c16, 256, buf, sizeof(buf)), "172.16.1.0", "host /16 k=256 crosses an octet");
	CHECK_STR(host_str(&c16, cidr_host_count(&c16), buf, sizeof(buf)), "172.16.255.254",
		  "host /16 last");

	for (uint32_t k = 1; k <= cidr_host_count(&c24); k++) {
		struct in_addr a = cidr_host(&c24, k);

		if (!cidr_contains(&c24, a)) {
			CHECK(0, "every /24 host is inside the prefix");
			return;
		}
	}
	CHECK(1, "every /24 host is inside the prefix");
}

static void test_contains_overlaps(void)
{
	struct cidr a = mk("10.200.0.0/24"), b = mk("10.200.1.0/24"), wide = mk("10.0.0.0/8");
	struct cidr other = mk("192.168.0.0/16"), all = mk("0.0.0.0/0"), one = mk("10.200.0.7/32");
	struct in_addr x = { inet_addr("10.200.0.200") }, y = { inet_addr("10.200.1.1") };

	CHECK(cidr_contains(&a, x), "10.200.0.0/24 contains 10.200.0.200");
	CHECK(!cidr_contains(&a, y), "10.200.0.0/24 does not contain 10.200.1.1");
	CHECK(cidr_contains(&all, y), "0.0.0.0/0 contains everything");

	CHECK(cidr_overlaps(&a, &a), "overlaps: same prefix");
	CHECK(!cidr_overlaps(&a, &b), "overlaps: adjacent /24s do not");
	CHECK(cidr_overlaps(&a, &wide), "overlaps: /24 inside /8");
	CHECK(cidr_overlaps(&wide, &a), "overlaps: /8 around /24 (symmetric)");
	CHECK(!cidr_overlaps(&wide, &other), "overlaps: 10/8 and 192.168/16 do not");
	CHECK(cidr_overlaps(&all, &other), "overlaps: /0 overlaps anything");
	CHECK(cidr_overlaps(&one, &a), "overlaps: /32 inside /24");
	CHECK(!cidr_overlaps(&one, &b), "overlaps: /32 outside /24");
}

int main(void)
{
	test_parse();
	test_hosts();
	test_contains_overlaps();
	return check_summary();
}
