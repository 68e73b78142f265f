/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tc observers (bpf/tc.bpf.c) on a set of links. The programs do not read
 * skb->dev: each loaded copy carries an observer id, and the links are split
 * into groups in which no two share an ifindex (ifindexes repeat across
 * namespaces: every lab endpoint's veth is ifindex 2 in its own), one copy per
 * group, so (observer, ifindex) names exactly one (namespace, ifindex).
 */
#ifndef NSTRACE_OBSERVE_TCOBS_H
#define NSTRACE_OBSERVE_TCOBS_H

#include <stdint.h>
#include "observe/filter.h"

struct tc_bpf;

enum tc_dirs {
	TC_INGRESS = 1 << 0,
	TC_EGRESS = 1 << 1,
};

enum tc_attach_mode {
	TC_MODE_TCX = 1,	/* BPF link: vanishes with the process */
	TC_MODE_CLSACT = 2,	/* legacy tc filter: removed by us on detach */
};

struct tc_member {
	uint32_t ifindex, netns_ino;
};

/* One loaded copy of the tc object: its observer id is its index + 1. */
struct tc_group {
	struct tc_bpf *skel;
	struct tc_member *members;	/* sorted by ifindex once loaded */
	int n, cap;
};

struct tc_hook {
	int netns_fd;		/* the caller's: where the link lives */
	int ifindex;
	int egress;
	int mode;		/* enum tc_attach_mode */
	int link_fd;		/* TC_MODE_TCX */
	int created_qdisc;	/* TC_MODE_CLSACT: we made the clsact qdisc */
	uint32_t handle, priority;	/* TC_MODE_CLSACT filter identity */
};

struct tc_observers {
	struct tc_group *groups;
	int ngroups;
	int *link_group;	/* per link given to load: its group, -1 for a duplicate */
	struct tc_hook *hooks;
	int nhooks;
	unsigned int dirs;	/* enum tc_dirs */
	int keep_qdisc;		/* clsact on links not ours: never remove a qdisc */
};

struct tc_shared {
	int events_fd, lost_fd;	/* the main object's ring buffer and lost counter */
	const struct observe_filter *filter;
	uint64_t wake_bytes;
};

/* Groups the links and loads one copy per group, sharing the main object's maps. */
int tc_observers_load(struct tc_observers *t, const struct observe_link *links, int n, unsigned int dirs,
		      const struct tc_shared *sh, char *msg, int msglen);
/* Attaches every loaded copy to its links: tcx, or clsact if forced or tcx is missing. */
int tc_observers_attach(struct tc_observers *t, const struct observe_link *links, int n, int force_clsact,
			char *msg, int msglen);
/* The namespace of the link behind (observer, ifindex), 0 if unknown. */
uint32_t tc_observers_netns(const struct tc_observers *t, uint32_t observer, uint32_t ifindex);
/* "tcx" or "clsact": how the first hook was attached (NULL: none). */
const char *tc_observers_mode(const struct tc_observers *t);
/* Program fds of group g (-1 where that direction is not loaded). */
int tc_observers_prog_fd(const struct tc_observers *t, int g, int egress);
void tc_observers_destroy(struct tc_observers *t);

#endif
