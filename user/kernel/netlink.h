/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* rtnetlink through libmnl: one socket per namespace, ACK on every request. */
#ifndef NSTRACE_KERNEL_NETLINK_H
#define NSTRACE_KERNEL_NETLINK_H

#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>

#define NL_ALIAS_MAX 128

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	char ext_ack[256];	/* kernel's extended-ACK text of the last error */
};

/* A link as rtnetlink reports it. */
struct nl_link {
	int ifindex;
	char name[IFNAMSIZ];
	char kind[16];		/* IFLA_INFO_KIND: "veth", "bridge", "" */
	char alias[NL_ALIAS_MAX];
	unsigned int flags;	/* IFF_* */
	uint32_t group;		/* IFLA_GROUP: 0 is the default group */
	uint8_t operstate;	/* IF_OPER_* */
	uint8_t mac[6];
	int master;		/* IFLA_MASTER, 0 if none */
	int link;		/* IFLA_LINK: the veth peer's ifindex */
	int link_netnsid;	/* IFLA_LINK_NETNSID, -1 if same namespace */
	int port_state;		/* bridge port IFLA_BRPORT_STATE, -1 if not a port */
	int port_learning, port_flood, port_isolated;	/* -1 if unknown */
	int br_nf_call_iptables, br_nf_call_arptables;	/* bridge option, -1 if not a bridge */
};

struct nl_addr {
	int ifindex;
	struct in_addr addr;
	int prefixlen;
};

struct nl_route {
	struct in_addr dst;
	int dst_len;
	int oif;
	struct in_addr gateway;
	int table;
};

int nl_open(struct nl *nl);
/* A socket bound inside the namespace behind netns_fd: it stays there, whoever uses it. */
int nl_open_in(struct nl *nl, int netns_fd);
void nl_close(struct nl *nl);

/*
 * Requests; each returns 0 or -errno, with nl->ext_ack set on error. The
 * kernel ignores IFLA_IFALIAS when it creates a link, so a link cannot be
 * born marked; group (IFLA_GROUP, kept at creation; 0: default) tags it
 * until nl_link_mark() marks it, so a kill in between leaves a link that is
 * still recognisably ours.
 */
int nl_bridge_create(struct nl *nl, const char *name, uint32_t group);
int nl_veth_create(struct nl *nl, const char *name, uint32_t group, int master,
		   const char *peer, int peer_netns_fd);
int nl_link_set_up(struct nl *nl, int ifindex, int up);
int nl_link_set_master(struct nl *nl, int ifindex, int master);
int nl_link_set_alias(struct nl *nl, int ifindex, const char *alias);
/* Alias set, creation tag cleared (group 0), and with up the link brought up: one request. */
int nl_link_mark(struct nl *nl, int ifindex, const char *alias, int up);
int nl_link_mark_up(struct nl *nl, int ifindex, const char *alias);
int nl_link_del(struct nl *nl, int ifindex);
int nl_bridge_set_nf_call_iptables(struct nl *nl, int ifindex, int on);
int nl_addr_add(struct nl *nl, int ifindex, struct in_addr addr, int prefixlen);
int nl_addr_del(struct nl *nl, int ifindex, struct in_addr addr, int prefixlen);
int nl_neigh_del(struct nl *nl, int ifindex, struct in_addr addr);

/*
 * Dumps; each allocates *out (free it) and returns the count or -errno. A
 * dump the kernel marks interrupted is asked again; a reply that fails its
 * attribute policy (types, lengths) fails the whole dump with -EBADMSG.
 */
int nl_link_dump(struct nl *nl, struct nl_link **out);
/* The same, plus bridge port state and flags (a second, AF_BRIDGE dump). */
int nl_link_dump_ports(struct nl *nl, struct nl_link **out);
int nl_addr_dump(struct nl *nl, struct nl_addr **out);
int nl_route_dump(struct nl *nl, struct nl_route **out);

/* Single look-ups; 0, or -ENODEV when absent. */
int nl_link_get(struct nl *nl, const char *name, struct nl_link *out);
int nl_link_get_index(struct nl *nl, int ifindex, struct nl_link *out);
/* The output interface of the route to dst (RTM_GETROUTE), or -errno. */
int nl_route_get_oif(struct nl *nl, struct in_addr dst);
/* The same with the route's type (RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST...); 0 or -errno. */
int nl_route_lookup(struct nl *nl, struct in_addr dst, int *oif, int *type);
/* The netns id this socket's namespace gives the namespace behind netns_fd (-1: none), or -errno. */
int nl_netnsid_of_fd(struct nl *nl, int netns_fd);

/*
 * The parsers behind the reads, on replies recorded from the kernel (unit
 * tests, fuzzing): buf holds netlink messages as recv() returned them.
 * nl_link_replay merges an AF_BRIDGE dump (ports, may be NULL) as
 * nl_link_dump_ports does; nl_answer_replay reads an RTM_NEWNSID or
 * RTM_NEWROUTE answer, or an error with its extended ACK.
 */
int nl_link_replay(const void *links, size_t len, const void *ports, size_t plen, struct nl_link **out);
int nl_addr_replay(const void *buf, size_t len, struct nl_addr **out);
int nl_route_replay(const void *buf, size_t len, struct nl_route **out);
int nl_answer_replay(const void *buf, size_t len, int *nsid, int *oif, int *type, char *ext_ack, size_t size);

#endif
