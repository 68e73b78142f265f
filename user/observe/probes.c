// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "nstrace.skel.h"
#include "nstrace/names.h"
#include "kernel/netns.h"
#include "observe/nflink.h"
#include "observe/probes.h"

/* A netfilter priority another BPF program holds: how far to look for a free one. */
#define NF_PRIO_TRIES 8

static const char *const hook_names[] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING" };

static int load_once(struct probes *p, const struct probes_cfg *cfg, int name_drops, char *msg, int msglen)
{
	struct nstrace_bpf *skel;
	int err;

	skel = p->skel = nstrace_bpf__open();
	if (!skel) {
		err = -errno;
		snprintf(msg, msglen, "cannot open the BPF object: %s", strerror(-err));
		return err;
	}
	if (cfg->want_nf) {
		/* libbpf 1.1 does not know SEC("netfilter"): type the programs by hand. */
		bpf_program__set_type(skel->progs.nf_first, NSTRACE_BPF_PROG_TYPE_NETFILTER);
		bpf_program__set_expected_attach_type(skel->progs.nf_first, NSTRACE_BPF_NETFILTER);
		bpf_program__set_type(skel->progs.nf_last, NSTRACE_BPF_PROG_TYPE_NETFILTER);
		bpf_program__set_expected_attach_type(skel->progs.nf_last, NSTRACE_BPF_NETFILTER);
	}
	bpf_program__set_autoload(skel->progs.nf_first, cfg->want_nf);
	bpf_program__set_autoload(skel->progs.nf_last, cfg->want_nf);
	bpf_program__set_autoload(skel->progs.trace_drop, cfg->drop_reasons);
	bpf_program__set_autoload(skel->progs.trace_drop_noreason, !cfg->drop_reasons);
	OBSERVE_SET_RODATA(skel->rodata, cfg->filter, (uint64_t)cfg->ring_bytes / 4);
	skel->rodata->name_drops = name_drops;
	err = bpf_map__set_max_entries(skel->maps.events, cfg->ring_bytes);
	if (!err)
		err = nstrace_bpf__load(skel);
	if (err) {
		snprintf(msg, msglen, "cannot load the BPF programs: %s (run with --verbose for the verifier log)",
			 strerror(-err));
		nstrace_bpf__destroy(skel);
		p->skel = NULL;
		return err;
	}
	p->drop_reasons = cfg->drop_reasons;
	p->nf_loaded = cfg->want_nf;
	p->names_given = name_drops;
	return 0;
}

int probes_load(struct probes *p, const struct probes_cfg *cfg, char *msg, int msglen)
{
	memset(p, 0, sizeof(*p));
	/* The kernel naming its own drops needs bpf_snprintf's %pS (5.13): without, user space names them. */
	if (!load_once(p, cfg, 1, msg, msglen))
		return 0;
	return load_once(p, cfg, 0, msg, msglen);
}

int probes_watch_netns(struct probes *p, uint32_t ino)
{
	__u8 one = 1;

	return bpf_map_update_elem(bpf_map__fd(p->skel->maps.watched_netns), &ino, &one, BPF_ANY) ? -errno : 0;
}

int probes_attach_drops(struct probes *p, char *msg, int msglen)
{
	struct bpf_program *prog = p->drop_reasons ? p->skel->progs.trace_drop : p->skel->progs.trace_drop_noreason;
	struct bpf_link *link = bpf_program__attach(prog);
	int err;

	if (!link) {
		err = -errno;
		snprintf(msg, msglen, "cannot attach to tracepoint skb:kfree_skb: %s", strerror(-err));
		return err;
	}
	if (p->drop_reasons)
		p->skel->links.trace_drop = link;
	else
		p->skel->links.trace_drop_noreason = link;
	p->drops_attached = 1;
	return 0;
}

struct nf_req {
	int prog_fd, hook, first;
	int fd, priority;
};

/* Binds to the calling thread's namespace: runs inside it. */
static int nf_link_in_ns(void *arg)
{
	struct nf_req *r = arg;
	int base = r->first ? NSTRACE_NF_PRIO_FIRST : NSTRACE_NF_PRIO_LAST;
	int err = -EBUSY;

	/* Two BPF programs cannot share a priority on a hook: the next one in is as good an edge. */
	for (int i = 0; i < NF_PRIO_TRIES && err == -EBUSY; i++) {
		r->priority = r->first ? base + i : base - i;
		r->fd = nflink_create(r->prog_fd, NSTRACE_NFPROTO_IPV4, r->hook, r->priority);
		err = r->fd < 0 ? r->fd : 0;
	}
	return err;
}

static int nf_grow(struct probes *p)
{
	if (p->nnf + 2 > p->nf_cap) {
		int cap = p->nf_cap ? p->nf_cap * 2 : 16;
		struct probe_nf *nf = realloc(p->nf, cap * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		p->nf = nf;
		p->nf_cap = cap;
	}
	return 0;
}

/*
 * The last edge goes in before the first and comes out after it: a packet
 * the first edge saw is then always seen by the last one too, unless the hook
 * really kept it (each traversal of a hook uses one snapshot of its entries).
 */
int probes_attach_nf_hook(struct probes *p, int netns_fd, int hook, char *msg, int msglen)
{
	struct bpf_program *progs[2] = { p->skel->progs.nf_last, p->skel->progs.nf_first };
	int err = nf_grow(p);

	if (err) {
		snprintf(msg, msglen, "out of memory");
		return err;
	}
	for (int i = 0; i < 2; i++) {
		struct nf_req r = { bpf_program__fd(progs[i]), hook, i == 1, -1, 0 };

		err = netns_call(netns_fd, nf_link_in_ns, &r);
		if (err) {
			/* An entry edge without its exit edge would read as a drop: both or neither. */
			if (i == 1)
				close(p->nf[--p->nnf].link_fd);
			snprintf(msg, msglen, "no netfilter observers on IPv4 %s: %s%s",
				 hook >= 0 && hook < 5 ? hook_names[hook] : "?", strerror(-err),
				 err == -EBUSY ? " (other BPF programs hold the priorities next to the first and last)" : "");
			return 1;
		}
		p->nf[p->nnf++] = (struct probe_nf){ r.fd, hook, r.priority };
	}
	return 0;
}

void probes_detach_nf(struct probes *p)
{
	for (int i = p->nnf - 1; i >= 0; i--)
		close(p->nf[i].link_fd);
	p->nnf = 0;
}

int probes_events_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.events);
}

int probes_lost_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.lost_events);
}

uint64_t probes_lost(const struct probes *p)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t total = 0;
	__u32 zero = 0;
	uint64_t *vals;

	if (ncpu <= 0 || !p->skel)
		return 0;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return 0;
	if (!bpf_map_lookup_elem(probes_lost_fd(p), &zero, vals))
		for (int i = 0; i < ncpu; i++)
			total += vals[i];
	free(vals);
	return total;
}

int probes_read_names(const struct probes *p, struct kernel_names *kn)
{
	int sites = bpf_map__fd(p->skel->maps.site_names), reasons = bpf_map__fd(p->skel->maps.reason_names);
	struct nstrace_name n;
	__u64 addr, *prev_addr = NULL;
	__u32 reason, *prev_reason = NULL;
	int err = 0;

	while (!err && !bpf_map_get_next_key(sites, prev_addr, &addr)) {
		prev_addr = &addr;
		if (!bpf_map_lookup_elem(sites, &addr, &n)) {
			n.name[sizeof(n.name) - 1] = '\0';
			err = kernel_names_give_site(kn, addr, n.name);
		}
	}
	while (!err && !bpf_map_get_next_key(reasons, prev_reason, &reason)) {
		prev_reason = &reason;
		if (!bpf_map_lookup_elem(reasons, &reason, &n)) {
			n.name[sizeof(n.name) - 1] = '\0';
			err = kernel_names_give_reason(kn, reason, n.name);
		}
	}
	return err;
}

int probes_prog_fds(const struct probes *p, int *fds, const char **names, int max)
{
	struct bpf_program *progs[4];
	int n = 0;

	if (!p->skel)
		return 0;
	progs[0] = p->skel->progs.trace_drop;
	progs[1] = p->skel->progs.trace_drop_noreason;
	progs[2] = p->skel->progs.nf_first;
	progs[3] = p->skel->progs.nf_last;

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]) && n < max; i++) {
		if (bpf_program__fd(progs[i]) < 0)
			continue;
		fds[n] = bpf_program__fd(progs[i]);
		names[n++] = bpf_program__name(progs[i]);
	}
	return n;
}

void probes_destroy(struct probes *p)
{
	probes_detach_nf(p);
	free(p->nf);
	p->nf = NULL;
	p->nf_cap = 0;
	if (p->skel)
		nstrace_bpf__destroy(p->skel);
	p->skel = NULL;
}
