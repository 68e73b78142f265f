/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reads the state the diagnosis needs: sysctls and links, per namespace. */
#ifndef NSTRACE_STATE_H
#define NSTRACE_STATE_H

#include "diagnose.h"

struct state_ns {
	int fd;
	uint32_t ino;
	char label[48];
	char exec_prefix[160];	/* "ip netns exec NAME ", "nsenter -t PID -n ", "" */
};

/*
 * Fills ns[i] for each namespace and links[] for each topo interface (by
 * ifindex in its namespace). Returns 0 or -errno.
 */
int state_read(const struct state_ns *nss, int nns, const struct topo *t,
	       struct ns_state *ns, struct link_state *links);

#endif
