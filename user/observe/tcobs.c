// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "tc.skel.h"
#include "kernel/netns.h"
#include "observe/nflink.h"
#include "observe/tcobs.h"

/* clsact fallback: our filters use this priority so we remove exactly those. */
#define CLSACT_PRIORITY 0xbeef

static int group_has(const struct tc_group *g, uint32_t ifindex)
{
	for (int i = 0; i < g->n; i++)
		if (g->members[i].ifindex == ifindex)
			return 1;
	return 0;
}

static int group_add(struct tc_group *g, uint32_t ifindex, uint32_t ino)
{
	if (g->n == g->cap) {
		int cap = g->cap ? g->cap * 2 : 8;
		struct tc_member *m = realloc(g->members, cap * sizeof(*m));

		if (!m)
			return -ENOMEM;
		g->members = m;
		g->cap = cap;
	}
	g->members[g->n++] = (struct tc_member){ ifindex, ino };
	return 0;
}

static int cmp_member(const void *a, const void *b)
{
	const struct tc_member *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

/* First fit: a link joins the first group where its ifindex is free. */
static int assign_groups(struct tc_observers *t, const struct observe_link *links, int n)
{
	t->link_group = malloc((n ? n : 1) * sizeof(int));
	t->groups = calloc(n ? n : 1, sizeof(*t->groups));
	if (!t->link_group || !t->groups)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		int g, dup = 0;

		for (int j = 0; j < i && !dup; j++)
			dup = links[j].netns_ino == links[i].netns_ino && links[j].ifindex == links[i].ifindex;
		t->link_group[i] = -1;
		if (dup)
			continue;
		for (g = 0; g < t->ngroups && group_has(&t->groups[g], links[i].ifindex); g++)
			;
		if (g == t->ngroups)
			t->ngroups++;
		if (group_add(&t->groups[g], links[i].ifindex, links[i].netns_ino))
			return -ENOMEM;
		t->link_group[i] = g;
	}
	for (int g = 0; g < t->ngroups; g++)
		qsort(t->groups[g].members, t->groups[g].n, sizeof(struct tc_member), cmp_member);
	return 0;
}

static int load_group(struct tc_observers *t, int g, const struct tc_shared *sh, char *msg, int msglen)
{
	struct tc_bpf *skel = tc_bpf__open();
	int err;

	if (!skel) {
		err = -errno;
		snprintf(msg, msglen, "cannot open the tc BPF object: %s", strerror(-err));
		return err;
	}
	t->groups[g].skel = skel;
	err = bpf_map__reuse_fd(skel->maps.events, sh->events_fd);
	if (!err)
		err = bpf_map__reuse_fd(skel->maps.lost_events, sh->lost_fd);
	if (err) {
		snprintf(msg, msglen, "cannot share the ring buffer with the tc observers: %s", strerror(-err));
		return err;
	}
	skel->rodata->observer_id = g + 1;
	OBSERVE_SET_RODATA(skel->rodata, sh->filter, sh->wake_bytes);
	bpf_program__set_autoload(skel->progs.tc_ingress, !!(t->dirs & TC_INGRESS));
	bpf_program__set_autoload(skel->progs.tc_egress, !!(t->dirs & TC_EGRESS));
	err = tc_bpf__load(skel);
	if (err)
		snprintf(msg, msglen, "cannot load the tc observers: %s (run with --verbose for the verifier log)",
			 strerror(-err));
	return err;
}

int tc_observers_load(struct tc_observers *t, const struct observe_link *links, int n, unsigned int dirs,
		      const struct tc_shared *sh, char *msg, int msglen)
{
	int err;

	t->dirs = dirs;
	err = assign_groups(t, links, n);
	if (err) {
		snprintf(msg, msglen, "out of memory");
		return err;
	}
	for (int g = 0; g < t->ngroups; g++) {
		err = load_group(t, g, sh, msg, msglen);
		if (err)
			return err;
	}
	return 0;
}

uint32_t tc_observers_netns(const struct tc_observers *t, uint32_t observer, uint32_t ifindex)
{
	const struct tc_group *g;
	struct tc_member key = { ifindex, 0 }, *m;

	if (observer < 1 || observer > (uint32_t)t->ngroups)
		return 0;
	g = &t->groups[observer - 1];
	m = bsearch(&key, g->members, g->n, sizeof(*m), cmp_member);
	return m ? m->netns_ino : 0;
}

int tc_observers_prog_fd(const struct tc_observers *t, int g, int egress)
{
	struct bpf_program *p;

	if (g < 0 || g >= t->ngroups || !t->groups[g].skel)
		return -1;
	p = egress ? t->groups[g].skel->progs.tc_egress : t->groups[g].skel->progs.tc_ingress;
	return bpf_program__fd(p);
}

const char *tc_observers_mode(const struct tc_observers *t)
{
	if (!t->nhooks)
		return NULL;
	return t->hooks[0].mode == TC_MODE_CLSACT ? "clsact" : "tcx";
}

/* ---- attaching, inside the link's namespace ---- */

struct attach_req {
	struct tc_hook *h;
	int prog_fd, force_clsact, keep_qdisc;
};

static int attach_tcx(struct tc_hook *h, int prog_fd)
{
	int fd = bpf_link_create(prog_fd, h->ifindex, h->egress ? NSTRACE_BPF_TCX_EGRESS : NSTRACE_BPF_TCX_INGRESS,
				 NULL);

	if (fd < 0)
		return fd;
	h->mode = TC_MODE_TCX;
	h->link_fd = fd;
	return 0;
}

static int attach_clsact(struct tc_hook *h, int prog_fd)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = h->ifindex,
			    .attach_point = h->egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd, .priority = CLSACT_PRIORITY);
	/* An existing clsact qdisc is expected (ours from the other direction, or someone's): not worth a libbpf warning. */
	libbpf_print_fn_t print = libbpf_set_print(NULL);
	int err = bpf_tc_hook_create(&hook);

	libbpf_set_print(print);
	if (err && err != -EEXIST)
		return err;
	h->created_qdisc = !err;
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		if (h->created_qdisc) {
			hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hook);
		}
		return err;
	}
	h->mode = TC_MODE_CLSACT;
	h->handle = opts.handle;
	h->priority = opts.priority;
	return 0;
}

/* tcx links and tc hooks bind to the caller's namespace: runs inside it. */
static int attach_in_ns(void *arg)
{
	struct attach_req *r = arg;
	int err = r->force_clsact ? -EOPNOTSUPP : attach_tcx(r->h, r->prog_fd);

	/* Before 6.6 the kernel does not know the tcx attach types. */
	if (err == -EINVAL || err == -EOPNOTSUPP)
		err = attach_clsact(r->h, r->prog_fd);
	return err;
}

static int detach_in_ns(void *arg)
{
	struct attach_req *r = arg;
	struct tc_hook *h = r->h;
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = h->ifindex,
			    .attach_point = h->egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = h->handle, .priority = h->priority);

	bpf_tc_detach(&hook, &opts);
	/* Only a qdisc we created; detach runs in reverse, so our other filter on it is gone by now. */
	if (h->created_qdisc && !r->keep_qdisc) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
	return 0;
}

static int attach_one(struct tc_observers *t, const struct observe_link *l, int g, int egress, int force_clsact,
		      char *msg, int msglen)
{
	struct tc_hook *h = &t->hooks[t->nhooks];
	struct attach_req r = { h, tc_observers_prog_fd(t, g, egress), force_clsact, t->keep_qdisc };
	int err;

	if (l->netns_fd < 0) {
		snprintf(msg, msglen, "cannot attach to ifindex %d: its namespace is gone", l->ifindex);
		return -EBADF;
	}
	memset(h, 0, sizeof(*h));
	*h = (struct tc_hook){ .netns_fd = l->netns_fd, .ifindex = l->ifindex, .egress = egress, .link_fd = -1 };
	err = netns_call(l->netns_fd, attach_in_ns, &r);
	if (err) {
		snprintf(msg, msglen, "cannot attach the tc %s observer to ifindex %d: %s",
			 egress ? "egress" : "ingress", l->ifindex, strerror(-err));
		return err;
	}
	t->nhooks++;
	return 0;
}

int tc_observers_attach(struct tc_observers *t, const struct observe_link *links, int n, int force_clsact,
			char *msg, int msglen)
{
	int err = 0;

	t->hooks = calloc(2 * (n ? n : 1), sizeof(*t->hooks));
	if (!t->hooks) {
		snprintf(msg, msglen, "out of memory");
		return -ENOMEM;
	}
	for (int i = 0; i < n && !err; i++) {
		if (t->link_group[i] < 0)
			continue;
		for (int egress = 0; egress <= 1 && !err; egress++)
			if (t->dirs & (egress ? TC_EGRESS : TC_INGRESS))
				err = attach_one(t, &links[i], t->link_group[i], egress, force_clsact, msg, msglen);
	}
	return err;
}

void tc_observers_destroy(struct tc_observers *t)
{
	for (int i = t->nhooks - 1; i >= 0; i--) {
		struct tc_hook *h = &t->hooks[i];
		struct attach_req r = { h, -1, 0, t->keep_qdisc };

		if (h->mode == TC_MODE_TCX)
			close(h->link_fd);
		else if (h->mode == TC_MODE_CLSACT)
			netns_call(h->netns_fd, detach_in_ns, &r);
	}
	free(t->hooks);
	for (int g = 0; g < t->ngroups; g++) {
		tc_bpf__destroy(t->groups[g].skel);
		free(t->groups[g].members);
	}
	free(t->groups);
	free(t->link_group);
	memset(t, 0, sizeof(*t));
}
