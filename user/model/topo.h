/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The topology as data: interfaces, the namespaces that hold them, and how a
 * person reaches each namespace. Filled from netlink by lab/ and discover/;
 * read by analysis/ and report/. Pure: no kernel I/O.
 */
#ifndef NSTRACE_MODEL_TOPO_H
#define NSTRACE_MODEL_TOPO_H

#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

#define NS_LABEL_MAX 48
#define NS_ARG_MAX 256

/* How a command reaches a namespace from the one nstrace runs in. */
enum ns_via {
	NS_VIA_SELF = 0,	/* nstrace's own namespace: no prefix */
	NS_VIA_NAME,		/* /run/netns/NAME: ip netns exec NAME */
	NS_VIA_PID,		/* a process's: nsenter -t PID -n */
	NS_VIA_PATH,		/* a namespace file: nsenter --net=PATH */
};

struct ns_ref {
	uint32_t ino;			/* identity: the namespace's inode */
	char label[NS_LABEL_MAX];	/* "ns1", "host", a netns name, "pid 1234" */
	int via;			/* enum ns_via */
	char arg[NS_ARG_MAX];		/* the name, PID or path for via */
};

/* A namespace nstrace holds open, and how people name it. */
struct ns_handle {
	int fd;
	struct ns_ref ref;
};

enum topo_role {
	TOPO_OTHER = 0,
	TOPO_ENDPOINT,	/* the interface of an endpoint namespace ("container") */
	TOPO_PORT,	/* a bridge port */
	TOPO_BRIDGE,
};

struct topo_if {
	uint32_t netns_ino;
	int ifindex;
	char name[IFNAMSIZ];
	char ns_label[NS_LABEL_MAX];	/* the label of the namespace holding it */
	int role;		/* enum topo_role */
	int peer;		/* index of the veth peer, -1 */
	int master;		/* index of the bridge, -1 */
	struct in_addr addr;	/* first IPv4 address, 0 if none */
	int prefixlen;
	uint8_t mac[6];
};

struct topo {
	struct topo_if *ifs;
	int n;
};

int topo_find(const struct topo *t, uint32_t netns_ino, int ifindex);
/* The interface that owns addr (an endpoint, a bridge or a routed link; never a port), -1 if none. */
int topo_find_addr(const struct topo *t, struct in_addr addr);
/* The label of the namespace with this inode, or NULL. */
const char *topo_ns_label(const struct topo *t, uint32_t ino);

#endif
