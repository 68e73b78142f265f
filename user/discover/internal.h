/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the files of discover/ only. */
#ifndef NSTRACE_DISCOVER_INTERNAL_H
#define NSTRACE_DISCOVER_INTERNAL_H

#include "model/topo.h"

/* A namespace that could be the far end of a veth, and how to name it. */
struct ns_cand {
	char *path;		/* whole, however long the name: a cut one opens the wrong file */
	struct ns_ref ref;
};

struct catalog {
	struct ns_cand *c;
	int n, cap;
};

/* Named namespaces first, Docker's next, the root namespace, then every process's. */
void catalog_build(struct catalog *cat);
void catalog_free(struct catalog *cat);

#endif
