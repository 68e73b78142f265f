/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the files of audit/ only: one namespace being read, from inside it. */
#ifndef NSTRACE_AUDIT_INTERNAL_H
#define NSTRACE_AUDIT_INTERNAL_H

#include "audit/audit.h"
#include "kernel/netlink.h"

struct audit_ctx {
	const struct audit_request *rq;
	struct state *st;
	int ns;			/* index into rq->ns and st->ns */
	struct nl nl;		/* rtnetlink, bound in this namespace */
	int counters_only;	/* only the firewall counters, into *_before */
};

/*
 * Test hook: NSTRACE_TEST_FAIL_READ=links,addrs,neigh,firewall makes those
 * reads fail as a kernel error would, so tests can prove a failed read never
 * becomes a confident verdict.
 */
int audit_fail(const char *what);
/* The namespace's sysctls, and net.ipv4.conf.all (call from inside it). */
void sysctl_read_ns(struct ns_state *ns);
/* net.ipv4.conf.DEV.* (call from inside the device's namespace). */
void sysctl_read_conf(const char *dev, struct ipv4_conf *c);
/* Links, bridge ports and bridges, addresses, per-device sysctls and tc of this namespace's topo interfaces. */
void links_read(struct audit_ctx *c);
/* Every firewall backend present here: nftables, then legacy xtables. */
void firewall_read(struct audit_ctx *c);
/* Legacy iptables and arptables, where their tables already exist. */
void xtables_read(struct audit_ctx *c);
/* A new chain fact for this namespace, or NULL when the state is full. */
struct fw_chain *fw_add_chain(struct audit_ctx *c, int backend, int family, const char *table, const char *name);
/* Who made a chain, recognised by its table or name: "docker", "cni", "kube-proxy", "firewalld", "ufw", "". */
const char *fw_owner(const char *table, const char *chain);
/* A chain named chain_name exists in that table: its owner, recognised, owns the table's drop policies. */
void fw_table_owner(struct audit_ctx *c, int first_chain, int backend, int family, const char *table,
		    const char *chain_name);
/* Notes a backend that could not be read. */
void fw_unreadable(struct audit_ctx *c, const char *what, int err);

#endif
