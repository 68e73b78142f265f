/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Loading the observers and attaching/detaching them. */
#ifndef NSTRACE_OBSERVE_PROBES_H
#define NSTRACE_OBSERVE_PROBES_H

#include <stdint.h>

struct nstrace_bpf;

enum probe_attach_mode {
	PROBE_TCX = 1,		/* BPF link: vanishes with the process */
	PROBE_CLSACT = 2,	/* legacy tc filter: removed by us on detach */
};

struct probe_tc {
	int netns_fd;		/* dup'ed: where the link lives */
	int ifindex;
	int egress;
	int mode;		/* enum probe_attach_mode */
	int link_fd;		/* PROBE_TCX */
	int created_qdisc;	/* PROBE_CLSACT: we made the clsact qdisc */
	uint32_t handle, priority;	/* PROBE_CLSACT filter identity */
};

struct probe_nf {
	int link_fd;
};

struct probes {
	struct nstrace_bpf *skel;
	struct probe_tc *tc;
	int ntc, tc_cap;
	struct probe_nf *nf;
	int nnf, nf_cap;
	int drops_attached;
	int force_clsact;	/* testing/old kernels: skip tcx */
	int keep_qdisc;		/* clsact fallback on links not ours: never remove a qdisc */
};

/* Opens and loads the BPF object; want_nf also loads the netfilter programs. */
int probes_load(struct probes *p, int want_nf, char *msg, int msglen);
/* Report events from the namespace with this inode. */
int probes_watch_netns(struct probes *p, uint32_t ino);
/* Observers on ingress and egress of ifindex in the namespace behind netns_fd. */
int probes_attach_tc(struct probes *p, int netns_fd, int ifindex, char *msg, int msglen);
int probes_attach_drops(struct probes *p, char *msg, int msglen);
/* First- and last-priority observers on an IPv4 netfilter hook of a namespace. */
int probes_attach_nf_hook(struct probes *p, int netns_fd, int hook, char *msg, int msglen);
/* Ring buffer map fd and the lost-event counter. */
int probes_events_fd(const struct probes *p);
uint64_t probes_lost(const struct probes *p);
/* Detaches everything in reverse order and unloads. */
void probes_destroy(struct probes *p);

#endif
