/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The links as read at the start of a trace, next to the topology nstrace
 * traces: every link's name in every traced namespace (so an event on lo or
 * on a link outside the topology is named, not shown as if1), and, per
 * topology interface, what is there now (a lab's topology is what was built;
 * a hand-made change since shows here). Pure data: session/ fills it.
 */
#ifndef NSTRACE_MODEL_NETVIEW_H
#define NSTRACE_MODEL_NETVIEW_H

#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

/* A link of a traced namespace, by its index there. */
struct if_seen {
	uint32_t netns_ino;
	int ifindex;
	char name[IFNAMSIZ];
};

/* One topology interface as rtnetlink reports it now. */
struct link_now {
	int known;		/* its namespace's link and address dumps succeeded */
	int exists;
	unsigned int flags;	/* IFF_UP ... */
	int master_ifindex;	/* 0: none */
	struct in_addr addr;	/* first IPv4 address, 0 if none */
	int prefixlen;
	int naddrs;		/* IPv4 addresses in all */
	uint8_t mac[6];
};

struct netview {
	struct if_seen *seen;
	int nseen;
	struct link_now *now;	/* one per topology interface, NULL if not read */
	int nnow;
};

/* The name of ifindex in the namespace with this inode, or NULL. */
const char *netview_if_name(const struct netview *v, uint32_t netns_ino, int ifindex);

#endif
