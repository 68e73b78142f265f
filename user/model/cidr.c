// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "model/cidr.h"

static uint32_t mask_of(int prefixlen)
{
	return prefixlen ? 0xffffffffu << (32 - prefixlen) : 0;
}

int cidr_parse(const char *s, struct cidr *out)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	char *end;
	long len;
	size_t alen;

	if (!slash)
		return -EINVAL;
	alen = slash - s;
	if (alen == 0 || alen >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, &out->net) != 1)
		return -EINVAL;
	errno = 0;
	len = strtol(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || len < 0 || len > 32)
		return -EINVAL;
	out->prefixlen = (int)len;
	if (ntohl(out->net.s_addr) & ~mask_of(out->prefixlen))
		return -EINVAL;
	return 0;
}

uint32_t cidr_host_count(const struct cidr *c)
{
	uint64_t size = 1ull << (32 - c->prefixlen);

	return size <= 2 ? (uint32_t)size : (uint32_t)(size - 2);
}

struct in_addr cidr_host(const struct cidr *c, uint32_t k)
{
	struct in_addr a;
	uint32_t first = c->prefixlen >= 31 ? 0 : 1;

	a.s_addr = htonl(ntohl(c->net.s_addr) + first + k - 1);
	return a;
}

int cidr_contains(const struct cidr *c, struct in_addr a)
{
	uint32_t m = mask_of(c->prefixlen);

	return (ntohl(a.s_addr) & m) == (ntohl(c->net.s_addr) & m);
}

int cidr_overlaps(const struct cidr *a, const struct cidr *b)
{
	int len = a->prefixlen < b->prefixlen ? a->prefixlen : b->prefixlen;
	uint32_t m = mask_of(len);

	return (ntohl(a->net.s_addr) & m) == (ntohl(b->net.s_addr) & m);
}

const char *cidr_str(const struct cidr *c, char *buf, int size)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &c->net, a, sizeof(a));
	snprintf(buf, size, "%s/%d", a, c->prefixlen);
	return buf;
}

int prefix_has(struct in_addr net, int len, struct in_addr a)
{
	uint32_t mask = len > 0 ? htonl(~0u << (32 - len)) : 0;

	return (net.s_addr & mask) == (a.s_addr & mask);
}
