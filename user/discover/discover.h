/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Discovery of topologies nstrace did not build (docker0, cni0, a bridge made
 * by hand), read-only through rtnetlink: route -> veth -> peer (by netns id)
 * -> bridge -> every port -> the namespaces behind them.
 */
#ifndef NSTRACE_DISCOVER_DISCOVER_H
#define NSTRACE_DISCOVER_DISCOVER_H

#include <stdio.h>
#include "model/topo.h"

struct discovery {
	struct ns_handle *ns;	/* label: netns name, docker netns file, "pid N" or "host" */
	int nns;
	struct topo topo;
	int *if_ns;		/* per topo interface: index into ns */
	int src;		/* topo index of the source interface, -1 in passive mode */
	int bridge;		/* topo index of the bridge */
	char unresolved[8][160];	/* what could not be resolved, said to the user */
	int nunresolved;
	int route_err;		/* the source's route lookup was refused (errno): traced through its only veth */
	char route_dev[IFNAMSIZ];	/* the route leaves by this non-veth device instead: traced through its only veth */
	int elsewhere;		/* topo index of the target's interface, found off the bridge; -1 */
};

/*
 * SRC is a /run/netns name, a PID, comm:PID, a container's name, or a
 * namespace file path; -errno with msg:
 * -ENETUNREACH when SRC cannot send to dst and offers nothing to trace.
 */
int discover_from(const char *src, struct in_addr dst, const char *bridge_name,
		  struct discovery *d, char *msg, int msglen);
/* A bridge by name (or the only bridge with ports) in netns (NULL: ours). */
int discover_bridge(const char *netns, const char *bridge_name, struct discovery *d,
		    char *msg, int msglen);
void discovery_free(struct discovery *d);

#endif
