/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A lab: N endpoint namespaces, each joined by a veth pair to one bridge that
 * lives in the host namespace (the real root namespace, or a namespace of its
 * own with --isolated). Every object carries a mark (lab/mark.h).
 */
#ifndef NSTRACE_LAB_LAB_H
#define NSTRACE_LAB_LAB_H

#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include "lab/config.h"
#include "lab/mark.h"
#include "model/topo.h"

struct lab_endpoint {
	char ns_name[LAB_NS_NAME_MAX];	/* under /run/netns */
	int ns_fd;
	uint32_t ns_ino;
	char ifname[IFNAMSIZ];		/* veth-nsK, inside the namespace */
	int ifindex;
	uint8_t mac[6];
	struct in_addr addr;
	char port[IFNAMSIZ];		/* veth-brK, on the bridge */
	int port_ifindex;
	uint8_t port_mac[6];
};

struct lab {
	struct lab_config cfg;
	char host_ns_name[LAB_NS_NAME_MAX];	/* "" when the host side is the root namespace */
	int host_fd;
	uint32_t host_ino;
	int bridge_ifindex;
	uint8_t bridge_mac[6];
	struct in_addr bridge_addr;
	struct lab_owner owner;			/* from the bridge mark; pid 0: nobody */
	struct lab_endpoint *ep;		/* cfg.namespaces entries */
};

/* lab_build: the lab stays this process's (its PID in the bridge mark) until lab_disown. */
#define LAB_BUILD_OWNED 1

/*
 * Builds the lab. On failure it removes what it made and returns -errno:
 * -EALREADY if a lab of that name exists, -EEXIST/-EADDRINUSE for a name or
 * subnet clash with something else (msg says which), other codes for kernel
 * refusals.
 */
int lab_build(struct lab *lab, const struct lab_config *cfg, int flags, char *msg, int msglen);
/* The lab belongs to nobody now (made by 'up', or kept by 'run --keep'). */
int lab_disown(struct lab *lab);
/* Fills lab from the marks of an existing lab; -ENOENT if there is none. */
int lab_load(struct lab *lab, const char *name, char *msg, int msglen);
/* Removes every object of the lab and frees it. */
int lab_teardown(struct lab *lab);
/* Frees memory and fds only: the lab stays. */
void lab_release(struct lab *lab);

/* Names of labs that exist (marks found), deduplicated; returns count. */
int lab_list(char names[][LAB_NAME_MAX + 1], int max);
/* A lab of that name exists (some object carries its mark). */
int lab_exists(const char *name);

/* Told of each object removal takes away: kind "namespace", "link" or "file" (an empty one). */
typedef void (*lab_seen_fn)(const char *kind, const char *name, void *arg);
/*
 * Removes every object of lab name, even of a half-built one, under the lock:
 * how many, or -errno (-EINTR: an interruptible wait for the lock was
 * stopped). LAB_REMOVE_DRY removes nothing and tells what it would remove.
 */
#define LAB_REMOVE_DRY 1
#define LAB_REMOVE_INTERRUPTIBLE 2
int lab_remove(const char *name, int flags, lab_seen_fn seen, void *arg);

/* K for "nsK" naming one of the lab's namespaces, else 0. */
int lab_endpoint_number(const struct lab *lab, const char *nsk);

/* The lab as topology facts for path reconstruction: bridge, then port and end per namespace. */
int lab_topology(const struct lab *lab, struct topo *t);
#endif
