// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "nstrace.skel.h"
#include "observe/nflink.h"
#include "kernel/netns.h"
#include "observe/probes.h"

/* clsact fallback: our filters use this priority so we remove exactly those. */
#define CLSACT_PRIORITY 0xbeef

static void *grow_array(void *arr, int *cap, int count, size_t size)
{
	if (count < *cap)
		return arr;
	int ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(arr, ncap * size);

	if (p)
		*cap = ncap;
	return p;
}

int probes_load(struct probes *p, int want_nf, char *msg, int msglen)
{
	int err;

	p->skel = nstrace_bpf__open();
	if (!p->skel) {
		err = -errno;
		snprintf(msg, msglen, "cannot open the BPF object: %s", strerror(-err));
		return err;
	}
	if (want_nf) {
		/* libbpf 1.1 does not know SEC("netfilter"): type the programs by hand. */
		bpf_program__set_type(p->skel->progs.nf_first, NSTRACE_BPF_PROG_TYPE_NETFILTER);
		bpf_program__set_expected_attach_type(p->skel->progs.nf_first, NSTRACE_BPF_NETFILTER);
		bpf_program__set_type(p->skel->progs.nf_last, NSTRACE_BPF_PROG_TYPE_NETFILTER);
		bpf_program__set_expected_attach_type(p->skel->progs.nf_last, NSTRACE_BPF_NETFILTER);
	} else {
		bpf_program__set_autoload(p->skel->progs.nf_first, false);
		bpf_program__set_autoload(p->skel->progs.nf_last, false);
	}
	err = nstrace_bpf__load(p->skel);
	if (err) {
		snprintf(msg, msglen, "cannot load the BPF programs: %s (run with --verbose for the verifier log)",
			 strerror(-err));
		nstrace_bpf__destroy(p->skel);
		p->skel = NULL;
		return err;
	}
	return 0;
}

int probes_watch_netns(struct probes *p, uint32_t ino)
{
	__u8 one = 1;

	return bpf_map_update_elem(bpf_map__fd(p->skel->maps.watched_netns), &ino, &one, BPF_ANY) ? -errno : 0;
}

static int attach_tcx(struct probe_tc *t, int prog_fd)
{
	int fd = bpf_link_create(prog_fd, t->ifindex,
				 t->egress ? NSTRACE_BPF_TCX_EGRESS : NSTRACE_BPF_TCX_INGRESS, NULL);

	if (fd < 0)
		return fd;
	t->mode = PROBE_TCX;
	t->link_fd = fd;
	return 0;
}

static int attach_clsact(struct probe_tc *t, int prog_fd)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = t->ifindex,
			    .attach_point = t->egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd, .priority = CLSACT_PRIORITY);
	int err = bpf_tc_hook_create(&hook);

	if (err && err != -EEXIST)
		return err;
	t->created_qdisc = !err;
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		if (t->created_qdisc) {
			hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hook);
		}
		return err;
	}
	t->mode = PROBE_CLSACT;
	t->handle = opts.handle;
	t->priority = opts.priority;
	return 0;
}

int probes_attach_tc(struct probes *p, int netns_fd, int ifindex, char *msg, int msglen)
{
	int err = 0;

	if (netns_fd < 0) {
		snprintf(msg, msglen, "cannot attach to ifindex %d: its namespace is gone", ifindex);
		return -EBADF;
	}
	for (int egress = 0; egress <= 1 && !err; egress++) {
		struct bpf_program *prog = egress ? p->skel->progs.tc_egress : p->skel->progs.tc_ingress;
		struct probe_tc *t;

		struct probe_tc *grown = grow_array(p->tc, &p->tc_cap, p->ntc, sizeof(*p->tc));

		if (!grown) {
			snprintf(msg, msglen, "out of memory");
			return -ENOMEM;	/* p->tc still holds what is attached: detach frees it */
		}
		p->tc = grown;
		t = &p->tc[p->ntc];
		memset(t, 0, sizeof(*t));
		t->ifindex = ifindex;
		t->egress = egress;
		t->link_fd = -1;
		t->netns_fd = fcntl(netns_fd, F_DUPFD_CLOEXEC, 0);
		if (t->netns_fd < 0) {
			err = -errno;
			snprintf(msg, msglen, "cannot keep the namespace fd: %s", strerror(-err));
			return err;
		}
		/* tcx links and tc hooks bind to the caller's namespace. */
		err = netns_enter(netns_fd);
		if (!err) {
			err = p->force_clsact ? -EOPNOTSUPP : attach_tcx(t, bpf_program__fd(prog));
			if (err == -EINVAL || err == -EOPNOTSUPP)
				err = attach_clsact(t, bpf_program__fd(prog));
			netns_return();
		}
		if (err) {
			close(t->netns_fd);
			snprintf(msg, msglen, "cannot attach the tc %s observer to ifindex %d: %s",
				 egress ? "egress" : "ingress", ifindex, strerror(-err));
			return err;
		}
		p->ntc++;
	}
	return 0;
}

int probes_attach_drops(struct probes *p, char *msg, int msglen)
{
	int err;

	p->skel->links.trace_drop = bpf_program__attach(p->skel->progs.trace_drop);
	if (!p->skel->links.trace_drop) {
		err = -errno;
		snprintf(msg, msglen, "cannot attach to tracepoint skb:kfree_skb: %s", strerror(-err));
		return err;
	}
	p->drops_attached = 1;
	return 0;
}

int probes_attach_nf_hook(struct probes *p, int netns_fd, int hook, char *msg, int msglen)
{
	struct bpf_program *progs[2] = { p->skel->progs.nf_first, p->skel->progs.nf_last };
	int prios[2] = { NSTRACE_NF_PRIO_FIRST, NSTRACE_NF_PRIO_LAST };
	int err = netns_enter(netns_fd);

	if (err) {
		snprintf(msg, msglen, "cannot enter the namespace of a netfilter hook: %s", strerror(-err));
		return err;
	}
	for (int i = 0; i < 2; i++) {
		int fd;

		struct probe_nf *grown = grow_array(p->nf, &p->nf_cap, p->nnf, sizeof(*p->nf));

		if (!grown) {
			snprintf(msg, msglen, "out of memory");
			err = -ENOMEM;
			break;
		}
		p->nf = grown;
		fd = nflink_create(bpf_program__fd(progs[i]), NSTRACE_NFPROTO_IPV4, hook, prios[i]);
		if (fd < 0) {
			err = fd;
			snprintf(msg, msglen, "cannot attach a netfilter observer to IPv4 hook %d: %s",
				 hook, strerror(-err));
			break;
		}
		p->nf[p->nnf++].link_fd = fd;
	}
	netns_return();
	return err;
}

int probes_events_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.events);
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
	if (!bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.lost_events), &zero, vals))
		for (int i = 0; i < ncpu; i++)
			total += vals[i];
	free(vals);
	return total;
}

static void detach_tc(struct probe_tc *t, int keep_qdisc)
{
	if (t->mode == PROBE_TCX) {
		close(t->link_fd);
	} else if (t->mode == PROBE_CLSACT && !netns_enter(t->netns_fd)) {
		DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = t->ifindex,
				    .attach_point = t->egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
		DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = t->handle, .priority = t->priority);

		bpf_tc_detach(&hook, &opts);
		/*
		 * Only a qdisc we created; detach runs in reverse, so the entry that
		 * created it comes last, after our other filter is gone.
		 */
		if (t->created_qdisc && !keep_qdisc) {
			hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hook);
		}
		netns_return();
	}
	close(t->netns_fd);
}

void probes_destroy(struct probes *p)
{
	for (int i = p->nnf - 1; i >= 0; i--)
		close(p->nf[i].link_fd);
	free(p->nf);
	p->nf = NULL;
	p->nnf = p->nf_cap = 0;
	for (int i = p->ntc - 1; i >= 0; i--)
		detach_tc(&p->tc[i], p->keep_qdisc);
	free(p->tc);
	p->tc = NULL;
	p->ntc = p->tc_cap = 0;
	if (p->skel)
		nstrace_bpf__destroy(p->skel);
	p->skel = NULL;
}
