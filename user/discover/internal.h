/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the files of discover/ only. */
#ifndef NSTRACE_DISCOVER_INTERNAL_H
#define NSTRACE_DISCOVER_INTERNAL_H

#include "discover/discover.h"
#include "discover/names.h"

/* A namespace that could be the far end of a veth, and how to name it. */
struct ns_cand {
	char path[96];
	struct ns_ref ref;
};

struct catalog {
	struct ns_cand *c;
	int n, cap;
};

/*
 * Named namespaces first, Docker's next, the root namespace, then every
 * process's, by its oldest process; a container's name wins over them all.
 */
void catalog_build(struct catalog *cat, const struct ns_owners *ow);
/* Which candidate the namespace behind via_fd calls nsid; -1 if none. */
int resolve_nsid(const struct catalog *cat, int via_fd, int nsid);

#endif
