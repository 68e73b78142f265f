/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the files of lab/ only. */
#ifndef NSTRACE_LAB_INTERNAL_H
#define NSTRACE_LAB_INTERNAL_H

#include "kernel/netlink.h"
#include "lab/lab.h"

/* A new namespace's loopback always has this ifindex (LOOPBACK_IFINDEX). */
#define LO_IFINDEX 1

/* Sets every name and address of lab from cfg; host_fd -1, no endpoint opened. */
int lab_alloc(struct lab *lab, const struct lab_config *cfg);
/* lab->host_fd and host_ino for the root namespace or lab->host_ns_name. */
int lab_open_host(struct lab *lab);
/* A netlink socket bound in the lab's host namespace. */
int lab_host_nl(struct lab *lab, struct nl *nl);

/* The alias on lo inside a namespace fd: that is where nstrace marks namespaces. */
int read_lo_mark(int fd, char *alias, int size);
/* /run/netns/NS carries a mark of lab with that role. */
int ns_marked(const char *ns_name, const char *lab, const char *role);
/*
 * Calls fn for each namespace under /run/netns that carries a mark (only
 * "LAB-..." names with only_lab); fn returning non-zero stops. Returns how
 * many were marked.
 */
int for_each_marked_ns(const char *only_lab,
		       int (*fn)(const char *ns, const char *lab, const char *role, void *arg), void *arg);
/* lab_remove() for a caller that holds the lock. */
int remove_marked_locked(const char *name, int dry, lab_seen_fn seen, void *arg);
/* Nothing of lab (or another object) stands in the way of building it; -EALREADY, -EEXIST... with msg. */
int lab_preflight(struct lab *lab, struct nl *host, char *msg, int msglen);
/* The link belongs to lab: its mark, or the lab's build tag on a link never marked. */
int link_is_of(const struct nl_link *l, const char *lab);
/* "LAB-host" or "LAB-nsK": a name the lab gives a namespace under /run/netns. */
int ns_name_is_of(const char *file, const char *lab);

#endif
