/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the files of discover/ only. */
#ifndef NSTRACE_DISCOVER_INTERNAL_H
#define NSTRACE_DISCOVER_INTERNAL_H

#include "discover/discover.h"
#include "discover/names.h"
#include "kernel/netlink.h"
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

/*
 * Named namespaces first, Docker's next, the root namespace, then every
 * process's, by its oldest process; a container's name wins over them all.
 */
void catalog_build(struct catalog *cat, const struct ns_owners *ow);
void catalog_free(struct catalog *cat);


/*
 * One discovery: the result, the candidates, and a netlink socket per
 * namespace of the result, opened inside it once and kept until the end.
 */
struct walk {
	struct discovery *d;
	struct catalog cat;
	struct ns_owners owners;	/* every process's namespace, its oldest process and container */
	struct nl *nl;		/* parallel to d->ns; .sock NULL until first used */
	int nnl;
};

void walk_end(struct walk *w);
/* The socket of namespace ns (an index of w->d->ns), opened inside it the first time. */
int walk_nl(struct walk *w, int ns, struct nl **out);
/* Which candidate namespace ns calls nsid; -1 if none. */
int walk_resolve_nsid(struct walk *w, int ns, int nsid);
/* Adds the namespace behind fd (taken over) unless known; its index, or -errno. */
int walk_add_ns_fd(struct discovery *d, int fd, const struct ns_ref *ref);
int walk_add_cand(struct discovery *d, const struct ns_cand *c);
/* Adds link l of namespace ns to the topology with role; its index, or -errno. */
int walk_add_if(struct discovery *d, int ns, const struct nl_link *l, int role);
/* First IPv4 address of each topology interface in namespace ns. */
void walk_fill_addrs(struct walk *w, int ns);
void walk_note_unresolved(struct discovery *d, const char *fmt, const char *a, int b);
/* The link with ifindex in namespace ns. */
int walk_link(struct walk *w, int ns, int ifindex, struct nl_link *out);

#endif
