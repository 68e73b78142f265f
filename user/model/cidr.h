/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* IPv4 prefixes: parsing and host arithmetic (pure). */
#ifndef NSTRACE_MODEL_CIDR_H
#define NSTRACE_MODEL_CIDR_H

#include <stdint.h>
#include <netinet/in.h>

struct cidr {
	struct in_addr net;	/* network address, host bits cleared */
	int prefixlen;
};

/* "10.200.0.0/24" -> 0, or -EINVAL. Host bits set in the input are refused. */
int cidr_parse(const char *s, struct cidr *out);
/* Usable host addresses (excludes network and broadcast for prefixes < 31). */
uint32_t cidr_host_count(const struct cidr *c);
/* The k-th host address, 1-based; k == cidr_host_count() is the last one. */
struct in_addr cidr_host(const struct cidr *c, uint32_t k);
int cidr_contains(const struct cidr *c, struct in_addr a);
/* a is in net/len (net need not be the network address: an interface's own address will do). */
int prefix_has(struct in_addr net, int len, struct in_addr a);
int cidr_overlaps(const struct cidr *a, const struct cidr *b);
/* "10.200.0.0/24" into buf. */
const char *cidr_str(const struct cidr *c, char *buf, int size);

#endif
