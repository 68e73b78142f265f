/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel state as facts, read by audit/ and judged by analysis/. A read that
 * failed is a fact too: the *_known fields say what could not be read, so a
 * rule never mistakes "could not read" for "absent". -1 means "not present"
 * (a sysctl the kernel lacks, an attribute it did not report).
 */
#ifndef NSTRACE_MODEL_STATE_H
#define NSTRACE_MODEL_STATE_H

#include <stdint.h>
#include <netinet/in.h>
#include "model/topo.h"

#define STATE_MAX_ADDRS 4

/* IPv4 settings of one interface (net.ipv4.conf.DEV.*), as read; -1 unknown. */
struct ipv4_conf {
	int forwarding, rp_filter, arp_ignore, arp_filter, arp_announce, arp_accept;
	int proxy_arp, accept_local, route_localnet, disable_policy;
	int mcast_solicit, app_solicit;	/* net.ipv4.neigh.DEV.*: ARP requests a new neighbour gets (both 0: none) */
};

/* Per namespace, as read from /proc/sys in that namespace; -1 = not present. */
struct ns_state {
	struct ns_ref ref;
	int links_known;	/* the link dump succeeded: absent links are absent */
	int addrs_known;	/* the address dump succeeded */
	int sysctl_known;	/* /proc/sys/net was readable there */
	int neigh_known;	/* the neighbour (and, with a bridge, FDB) dump succeeded */
	int firewall_known;	/* every firewall backend present could be read */
	char firewall_error[96];	/* what could not be read, when !firewall_known */
	int bridge_nf_call_iptables, bridge_nf_call_arptables, bridge_nf_call_ip6tables;
	int icmp_echo_ignore_all, icmp_echo_ignore_broadcasts;
	int ip_forward;
	struct ipv4_conf all;	/* net.ipv4.conf.all.*: combined with each device's */
	/* From 'iptables -S FORWARD' where iptables is installed: extra evidence only. */
	char forward_policy[12];	/* "ACCEPT", "DROP", "" unknown */
	int forward_drop_rules;		/* rules jumping to DROP or REJECT, -1 unknown */
};

/* Bridge port attributes that decide whether a frame crosses; -1 unknown. */
struct port_facts {
	int state;		/* BR_STATE_*: 3 is forwarding */
	int learning, unicast_flood, mcast_flood, bcast_flood;
	int isolated, proxyarp, neigh_suppress, hairpin;
	int locked, mab;
};

/* Bridge options that can stop or divert a frame; -1 unknown. */
struct bridge_facts {
	int stp_state, vlan_filtering;
	int forward_delay, ageing_time;	/* centiseconds */
	int nf_call_iptables, nf_call_ip6tables, nf_call_arptables;
};

/* Other programs and filters on a link (nstrace's own are gone when this is read). */
struct tc_facts {
	int known;
	char root_qdisc[16];	/* IFLA_QDISC: "noqueue", "fq_codel", ... */
	int clsact;		/* a clsact or ingress qdisc is there */
	int filters[2];		/* tc filters on [0] ingress, [1] egress */
	int tcx_progs[2];	/* BPF programs attached with tcx */
	char first_filter[2][48];	/* "bpf name drop_icmp", "matchall": the first of each */
	int first_pref[2];	/* its priority */
};

/* Per topo interface, as rtnetlink reports it now. */
struct link_state {
	int known;		/* its namespace's link dump succeeded */
	int exists;
	unsigned int flags;	/* IFF_UP 0x1, IFF_NOARP 0x80, IFF_LOWER_UP 0x10000 */
	int operstate;
	int mtu;
	int master_ifindex;
	int is_port;
	struct port_facts port;
	struct bridge_facts br;	/* bridges only */
	int port_state;		/* = port.state, -1 not a port (kept for the older rules) */
	int port_isolated;	/* = port.isolated */
	int br_nf_call_iptables, br_nf_call_arptables;	/* = br.*, bridges only, -1 unknown */
	struct in_addr addrs[STATE_MAX_ADDRS];
	int prefixlens[STATE_MAX_ADDRS];
	int naddrs;
	struct ipv4_conf conf;	/* net.ipv4.conf.DEV.* */
	struct tc_facts tc;
};

/* One route lookup the kernel answered (RTM_GETROUTE), as a packet of the trace would make it. */
struct route_fact {
	uint32_t ns_ino;
	struct in_addr src, dst;
	int iif;		/* an input lookup as if arriving on this ifindex; 0: output */
	int answered;		/* 0: the lookup itself could not be made */
	int err;		/* errno of a refusal: ENETUNREACH, EHOSTUNREACH, EACCES, EXDEV (rp_filter)...; 0: a route */
	int type;		/* RTN_* of the route found */
	int oif;
	char oif_name[16];	/* IFNAMSIZ: the device it leaves by, named in its namespace */
	struct in_addr gateway, prefsrc;
	int table;
	struct in_addr net;	/* the prefix of the route that matched (a found route only) */
	int net_len;
};

/* A route or policy rule that refuses what it matches (RTN_UNREACHABLE 7, RTN_PROHIBIT 8, RTN_BLACKHOLE 6). */
struct block_fact {
	uint32_t ns_ino;
	int is_rule;
	int type;
	struct in_addr dst, src;
	int dst_len, src_len;
	int table;
	int priority;		/* rules */
};

/* A neighbour (ARP) entry. */
struct neigh_fact {
	uint32_t ns_ino;
	int ifindex;
	struct in_addr addr;
	uint8_t lladdr[6];
	int has_lladdr;
	int state;		/* NUD_* */
};

/* A bridge forwarding database entry. */
struct fdb_fact {
	uint32_t ns_ino;
	int port_ifindex;	/* where frames for mac are sent */
	int bridge_ifindex;
	uint8_t mac[6];
	int state;		/* NUD_PERMANENT: static, NUD_NOARP: local, else learned */
	int is_local;		/* the bridge's or a port's own address */
	int sticky;		/* never moves to the port the MAC shows up on */
};

enum fw_backend {
	FW_NFT = 1,		/* nftables, including iptables-nft, arptables-nft, ebtables-nft */
	FW_IPT_LEGACY,
	FW_ARPT_LEGACY,
	FW_EBT_LEGACY,
};

enum fw_verdict {
	FW_ACCEPT = 1,
	FW_DROP,
	FW_REJECT,
	FW_OTHER,		/* jump, return, queue...: not a final verdict */
};

/* NFPROTO_* values, so the model needs no kernel header. */
enum fw_family {
	FW_INET = 1, FW_IPV4 = 2, FW_ARP = 3, FW_NETDEV = 5, FW_BRIDGE = 7, FW_IPV6 = 10,
};

/* "ip", "inet", "arp", "bridge", "netdev", "ip6": the family as nft spells it. */
const char *fw_family_name(int family);

/* A chain that can drop: a base chain whose policy drops, or that holds drop/reject rules. */
struct fw_chain {
	uint32_t ns_ino;
	int backend;		/* enum fw_backend */
	int family;		/* enum fw_family */
	char table[32], name[32];
	int hook;		/* NF_INET_* (netdev: 0 ingress, 1 egress), -1 not a base chain */
	int priority;
	int policy;		/* FW_ACCEPT, FW_DROP; 0 not a base chain */
	char dev[16];		/* netdev chains: the device */
	int drop_rules;		/* rules in it whose verdict drops or rejects */
	int policy_packets_before, policy_packets_after;	/* legacy only; -1 unknown */
	char owner[16];		/* "docker", "kube-proxy", "cni", "firewalld", "ufw", "" */
};

/* Its policy drops or a rule of its drops or rejects (else it is kept as the way into chains that do). */
int fw_chain_can_drop(const struct fw_chain *ch);

/* A rule whose verdict drops or rejects. */
struct fw_rule {
	int chain;		/* index into the chains */
	uint64_t handle;	/* nftables handle; legacy: the rule's position in its chain */
	int verdict;		/* FW_DROP or FW_REJECT */
	int matches;		/* 0: unconditional */
	int64_t packets_before, packets_after;	/* -1: no counter */
	char text[200];		/* as nft -a list or iptables -S prints it, when known */
};

#define STATE_MAX_ROUTES 16
#define STATE_MAX_NEIGH 32
#define STATE_MAX_FDB 64
#define STATE_MAX_CHAINS 96
#define STATE_MAX_RULES 128
#define STATE_MAX_BLOCKS 16
#define STATE_MAX_TRACES 32

/* A drop nftables' own trace reported (meta nftrace), for an ARP or ICMP packet. */
struct trace_fact {
	uint32_t ns_ino;
	int family;
	char table[32], chain[32];
	uint64_t handle;	/* the rule; 0: the chain's policy */
	int is_policy;
	int proto;		/* NSTRACE_PROTO_ARP or NSTRACE_PROTO_ICMP */
	uint16_t icmp_id;	/* host order */
	int count;
};

/* Everything one audit read: indexed by namespace (ns) and by topo interface (links). */
struct state {
	struct ns_state *ns;
	int nns;
	struct link_state *links;
	int nlinks;		/* one per topo interface */
	struct route_fact routes[STATE_MAX_ROUTES];
	int nroutes;
	struct block_fact blocks[STATE_MAX_BLOCKS];
	int nblocks;
	struct neigh_fact neigh[STATE_MAX_NEIGH];
	int nneigh;
	struct fdb_fact fdb[STATE_MAX_FDB];
	int nfdb;
	struct fw_chain chains[STATE_MAX_CHAINS];
	int nchains;
	struct fw_rule rules[STATE_MAX_RULES];
	int nrules;
	struct trace_fact traces[STATE_MAX_TRACES];
	int ntraces;
	int traced;		/* nftables' trace ran in the namespaces whose nft chains can drop */
};

/* A state of nns namespaces and nlinks interfaces, every fact zero (unknown). NULL: no memory. */
struct state *state_new(int nns, int nlinks);
/* A deep copy (NULL: no memory, or from NULL). */
struct state *state_copy(const struct state *from);
void state_free(struct state *st);
/*
 * Makes a state that came from outside (a record file) safe to read: every
 * string ends inside its array, every count within its array, every index
 * into an array that exists. The facts may still be false; never unsafe.
 */
void state_sanitize(struct state *st);
/*
 * The facts' layout in this build (a hash of the structs' sizes): a record
 * stores the state as laid out here, and a reader with another layout
 * refuses it rather than misread it.
 */
uint32_t state_layout(void);

#endif
