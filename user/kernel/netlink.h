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

/* Bridge port attributes that decide whether a frame crosses (IFLA_BRPORT_*); -1: unknown. */
struct nl_brport {
	int state;		/* BR_STATE_* */
	int learning, unicast_flood, mcast_flood, bcast_flood;
	int isolated, proxyarp, neigh_suppress, hairpin;
	int locked, mab;	/* 802.1X: only learned/static MACs pass (5.18+, 6.2+) */
};

/* Bridge options that can stop or divert a frame (IFLA_BR_*); -1: unknown. */
struct nl_bridge {
	int stp_state, vlan_filtering;
	int forward_delay, ageing_time;	/* clock_t (centiseconds) */
	int nf_call_iptables, nf_call_ip6tables, nf_call_arptables;
};

/* A link as rtnetlink reports it. */
struct nl_link {
	int ifindex;
	char name[IFNAMSIZ];
	char kind[16];		/* IFLA_INFO_KIND: "veth", "bridge", "" */
	char alias[NL_ALIAS_MAX];
	unsigned int flags;	/* IFF_* (IFF_LOWER_UP: carrier) */
	uint32_t group;		/* IFLA_GROUP: 0 is the default group */
	uint8_t operstate;	/* IF_OPER_* */
	uint8_t mac[6];
	int mtu;
	char qdisc[16];		/* IFLA_QDISC: the root qdisc's kind */
	int master;		/* IFLA_MASTER, 0 if none */
	int link;		/* IFLA_LINK: the veth peer's ifindex */
	int link_netnsid;	/* IFLA_LINK_NETNSID, -1 if same namespace */
	int is_port;		/* the AF_BRIDGE dump reported it as a bridge port */
	struct nl_brport port;
	struct nl_bridge br;	/* kind "bridge" only */
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

/* A neighbour entry (AF_INET) or a bridge FDB entry (AF_BRIDGE). */
struct nl_neigh {
	int family;
	int ifindex;		/* FDB: the port */
	int master;		/* FDB: the bridge (NDA_MASTER), 0 if absent */
	struct in_addr addr;	/* AF_INET only */
	uint8_t lladdr[6];
	int has_lladdr;
	int state;		/* NUD_* */
	int flags;		/* NTF_* */
	int vlan;		/* FDB: NDA_VLAN, 0 if none */
};

/* A route lookup as a packet would make it (RTM_GETROUTE). */
struct nl_route_query {
	struct in_addr src;	/* 0: let the kernel choose */
	struct in_addr dst;
	int iif;		/* input lookup as if arriving on this ifindex; 0: output lookup */
};

struct nl_route_result {
	int err;		/* the kernel's refusal (ENETUNREACH, EHOSTUNREACH, EACCES, EXDEV...), 0: found */
	int type;		/* RTN_* */
	int oif;
	struct in_addr gateway, prefsrc;
	int table;
	struct in_addr net;	/* the prefix of the route that matched (found only) */
	int net_len;
};

/* A route or policy rule that refuses what it matches: unreachable, prohibit, blackhole. */
struct nl_block {
	int is_rule;
	int type;		/* RTN_UNREACHABLE, RTN_PROHIBIT, RTN_BLACKHOLE (rules mapped to these) */
	struct in_addr dst, src;
	int dst_len, src_len;
	int table;
	int priority;		/* rules */
};

int nl_open(struct nl *nl);
/* A socket bound inside the namespace behind netns_fd: it stays there, whoever uses it. */
int nl_open_in(struct nl *nl, int netns_fd);
/* The same on NETLINK_NETFILTER (nftables); the caller checks nf_tables is there first. */
int nl_open_netfilter_in(struct nl *nl, int netns_fd);
/* NETLINK_NETFILTER in the calling thread's namespace. */
int nl_open_netfilter(struct nl *nl);
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
int nl_addr_add(struct nl *nl, int ifindex, struct in_addr addr, int prefixlen);
int nl_addr_del(struct nl *nl, int ifindex, struct in_addr addr, int prefixlen);
int nl_neigh_del(struct nl *nl, int ifindex, struct in_addr addr);
/* Removes what the bridge learned on this port (dynamic FDB entries): how many, or -errno. */
int nl_fdb_flush_learned(struct nl *nl, int port_ifindex);

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

/* Routes and policy rules that refuse packets; count or -errno. */
int nl_block_dump(struct nl *nl, struct nl_block **out);
/* Neighbour (family AF_INET) or FDB (AF_BRIDGE) entries; count or -errno. */
int nl_neigh_dump(struct nl *nl, int family, struct nl_neigh **out);
/*
 * The route the kernel would use. 0 when it answered (r->err says if it
 * refused, and why), -errno when it could not be asked.
 */
int nl_route_lookup(struct nl *nl, const struct nl_route_query *q, struct nl_route_result *r);

/* Single look-ups; 0, or -ENODEV when absent. */
int nl_link_get(struct nl *nl, const char *name, struct nl_link *out);
int nl_link_get_index(struct nl *nl, int ifindex, struct nl_link *out);
/* The output interface of the route to dst (RTM_GETROUTE) and its type (RTN_UNICAST, RTN_LOCAL...); 0 or -errno. */
int nl_route_out(struct nl *nl, struct in_addr dst, int *oif, int *type);
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
