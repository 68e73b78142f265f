/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The main BPF object (bpf/nstrace.bpf.c): drops, netfilter hook edges, the shared ring buffer. */
#ifndef NSTRACE_OBSERVE_PROBES_H
#define NSTRACE_OBSERVE_PROBES_H

#include <stdint.h>
#include "kernel/ksyms.h"
#include "observe/filter.h"

struct nstrace_bpf;

struct probe_nf {
	int link_fd;
	int hook;
	int priority;
};

struct probes_cfg {
	int want_nf;		/* load the netfilter programs (the kernel has them) */
	int drop_reasons;	/* the kfree_skb variant that reads the reason */
	uint32_t ring_bytes;	/* ring buffer size, a power of 2 of at least a page */
	const struct observe_filter *filter;
};

struct probes {
	struct nstrace_bpf *skel;
	struct probe_nf *nf;
	int nnf, nf_cap;
	int drops_attached;
	int drop_reasons;	/* the loaded drop program reads the reason */
	int nf_loaded;
	int names_given;	/* the drop programs name their sites and reasons */
};

/* Opens, configures and loads the object. */
int probes_load(struct probes *p, const struct probes_cfg *cfg, char *msg, int msglen);
/* Report events from the namespace with this inode. */
int probes_watch_netns(struct probes *p, uint32_t ino);
int probes_attach_drops(struct probes *p, char *msg, int msglen);
/*
 * First- and last-priority observers on an IPv4 netfilter hook of the
 * namespace behind netns_fd. A priority another BPF program holds is retried
 * next to it. 0 attached; 1 skipped (why in msg: the caller warns and goes
 * on without them); -errno only when out of memory.
 */
int probes_attach_nf_hook(struct probes *p, int netns_fd, int hook, char *msg, int msglen);
/* Removes every netfilter observer (they can be attached again). */
void probes_detach_nf(struct probes *p);
int probes_events_fd(const struct probes *p);
int probes_lost_fd(const struct probes *p);
uint64_t probes_lost(const struct probes *p);
/* Copies the names the drop programs made into kn (before the maps go). */
int probes_read_names(const struct probes *p, struct kernel_names *kn);
/* Program fds of the drop and netfilter programs that were loaded, for --stats. */
int probes_prog_fds(const struct probes *p, int *fds, const char **names, int max);
/* Detaches everything in reverse order and unloads. */
void probes_destroy(struct probes *p);

#endif
