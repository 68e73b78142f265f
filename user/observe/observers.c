// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include "kernel/netns.h"
#include <bpf/libbpf.h>
#include "nstrace.skel.h"
#include "observe/observers.h"

/* On demand: netfilter observers go after this long without ICMP. */
#define NF_IDLE_NS (10 * 1000000000ull)

static const char *namer_reason(const void *ctx, uint32_t reason)
{
	if (reason == NSTRACE_REASON_UNKNOWN)
		return "reason unknown";
	/* Names load on first use; the namer is how they are used, so it may fill them in. */
	return kernel_drop_reason((struct kernel_names *)ctx, reason);
}

static const char *namer_symbol(const void *ctx, uint64_t addr, char *buf, int size)
{
	return kernel_symbol((struct kernel_names *)ctx, addr, buf, size);
}

/* tc events name the attachment, not the namespace: the observer id does. */
static int fixup_event(void *ctx, struct nstrace_event *e)
{
	struct observers *o = ctx;

	/*
	 * Hooks are attached one after the other (a tcx link takes a grace
	 * period): before the last one is in, a packet shows only some of its
	 * hops, and would read as lost on the way.
	 */
	if (e->ts_ns < o->ready_ns)
		return 0;
	if (e->source == NSTRACE_SRC_TC)
		e->netns_ino = tc_observers_netns(&o->tc, e->observer, e->ifindex);
	if (e->proto == NSTRACE_PROTO_ICMP) {
		o->nf_wanted = 1;
		o->nf_last_icmp_ns = e->ts_ns;
	}
	return 1;
}

/* What the bridge and the neighbour tables learn: without it only --explain and JSON miss it. */
static void start_learning(struct observers *o)
{
	char why[256];

	if (learn_start(&o->learn, probes_events_fd(&o->probes), bpf_map__fd(o->probes.skel->maps.watched_netns),
			probes_lost_fd(&o->probes), why, sizeof(why)))
		fprintf(stderr, "nstrace: %s (tracing without FDB and neighbour events)\n", why);
}

static void add_note(struct observers *o, const char *fmt, const char *why)
{
	if (o->nnotes < OBSERVE_MAX_NOTES)
		snprintf(o->notes[o->nnotes++], OBSERVE_NOTE_MAX, fmt, why);
}

static void note_missing(struct observers *o)
{
	unsigned int f = o->feat.forced;

	if (!o->have_reasons)
		add_note(o, "note: drops without the kernel's reason (%s): they show 'reason unknown' and the freeing function; a verdict that needs the reason may stay inconclusive",
			 f & FORCE_NO_DROP_REASON ? "forced by " FORCE_ENV : "kfree_skb has none before Linux 5.17");
	if (!o->feat.nflink && o->nnf)
		add_note(o, "note: no netfilter observers (%s): nothing shows which netfilter hook a packet entered and never left; firewall drops are known from kfree_skb alone",
			 f & FORCE_NO_NFLINK ? "forced by " FORCE_ENV : "BPF netfilter links need Linux 6.4");
	if (tc_observers_mode(&o->tc) && !strcmp(tc_observers_mode(&o->tc), "clsact") && !o->opts.links_are_ours)
		add_note(o, "note: tc observers are clsact filters (%s): a kill -9 leaves them on the links until 'tc filter del ... pref 48879'",
			 f & FORCE_CLSACT ? "forced by " FORCE_ENV : o->opts.attach == OBSERVE_ATTACH_CLSACT ?
			 "--attach clsact" : "tcx links need Linux 6.6");
}

/* Attaches the netfilter observers asked for; a hook that cannot be observed is skipped with a warning. */
static int attach_nf(struct observers *o)
{
	char why[256];
	int err = 0;

	o->nf_hooks = 0;
	for (int i = 0; i < o->nnf && err >= 0; i++) {
		int all = 1;

		if (o->nf[i].netns_fd < 0)
			continue;	/* a namespace that is gone: its links were skipped too */
		for (int h = 0; h < 5 && err >= 0; h++) {
			if (!(o->nf[i].hooks & (1u << h)))
				continue;
			err = probes_attach_nf_hook(&o->probes, o->nf[i].netns_fd, h, why, sizeof(why));
			if (err > 0) {
				if (!o->nf_warned)
					fprintf(stderr, "nstrace: warning: %s in netns:%u; tracing without them\n", why,
						netns_inode(o->nf[i].netns_fd));
				o->nf_skipped += !o->nf_warned;
				all = 0;
			}
		}
		o->nf_hooks += all && err >= 0;
	}
	o->nf_warned = 1;
	o->nf_armed = err >= 0 && o->probes.nnf > 0;
	o->have_nf |= o->nf_armed;
	return err < 0 ? err : 0;
}

/* On demand: arm when ICMP is seen, disarm after a quiet while (each hook invocation costs every packet). */
void observers_nf_tick(struct observers *o)
{
	if (!o->opts.nf_on_demand || !o->probes.nf_loaded)
		return;
	if (o->nf_wanted && !o->nf_armed)
		attach_nf(o);
	o->nf_wanted = 0;
	if (o->nf_armed && monotonic_ns() - o->nf_last_icmp_ns > NF_IDLE_NS) {
		probes_detach_nf(&o->probes);
		o->nf_armed = 0;
	}
}

static int load_all(struct observers *o, const struct observe_link *links, int nlinks, char *msg, int msglen)
{
	unsigned int kb = o->opts.buffer_kb ? o->opts.buffer_kb : OBSERVE_BUFFER_KB;
	uint32_t ring = 4096;
	struct probes_cfg cfg = { o->feat.nflink && o->nnf > 0, o->feat.drop_reasons, 0, &o->opts.filter };
	struct tc_shared sh;
	int err;

	/* The kernel wants a power of 2, a page at least. */
	while (ring < kb * 1024u && ring < (1u << 30))
		ring <<= 1;
	cfg.ring_bytes = ring;
	err = probes_load(&o->probes, &cfg, msg, msglen);
	if (err && cfg.want_nf) {
		/* The program type exists but does not load: trace without it rather than not at all. */
		fprintf(stderr, "nstrace: warning: netfilter observers unavailable: %s (tracing without them)\n", msg);
		o->feat.nflink = cfg.want_nf = 0;
		err = probes_load(&o->probes, &cfg, msg, msglen);
	}
	if (err)
		return err;
	o->have_reasons = o->probes.drop_reasons;
	for (int i = 0; i < nlinks && !err; i++)
		err = probes_watch_netns(&o->probes, links[i].netns_ino);
	if (err) {
		snprintf(msg, msglen, "cannot fill the namespace filter map: %s", strerror(-err));
		return err;
	}
	sh = (struct tc_shared){ probes_events_fd(&o->probes), probes_lost_fd(&o->probes), &o->opts.filter, ring / 4 };
	return tc_observers_load(&o->tc, links, nlinks, o->opts.tc_dirs, &sh, msg, msglen);
}

/*
 * A big lab holds thousands of descriptors: a copy of the tc object per
 * namespace, a tcx link per hook, netfilter links per namespace. The soft
 * limit (often 1024) is a default, not a promise; the hard limit is.
 */
static void raise_fd_limit(void)
{
	struct rlimit r;

	if (!getrlimit(RLIMIT_NOFILE, &r) && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

int observers_start(struct observers *o, const struct observe_link *links, int nlinks,
		    const struct observe_nf *nf, int nnf, const struct observe_opts *opts,
		    const volatile sig_atomic_t *stop, char *msg, int msglen)
{
	const char *env = getenv(FORCE_ENV);
	unsigned int forced = 0;
	int err;

	memset(o, 0, sizeof(*o));
	o->stop = stop;
	o->opts = *opts;
	if (!o->opts.tc_dirs)
		o->opts.tc_dirs = TC_INGRESS | TC_EGRESS;
	o->nf = nf;
	o->nnf = nnf;
	o->tc.keep_qdisc = !opts->links_are_ours;
	msg[0] = '\0';
	raise_fd_limit();
	o->namer = (struct namer){ namer_reason, namer_symbol, &o->names };
	err = env ? features_parse_force(env, &forced, msg, msglen) : 0;
	if (err)
		return err;
	features_probe(&o->feat, forced);
	err = load_all(o, links, nlinks, msg, msglen);
	if (!err && opts->stats) {
		o->stats_on = 1;
		o->stats_fd = stats_enable();
		if (o->stats_fd < 0)
			fprintf(stderr, "nstrace: warning: --stats: the kernel refused BPF_ENABLE_STATS: %s\n",
				strerror(-o->stats_fd));
	}
	if (!err)
		err = tc_observers_attach(&o->tc, links, nlinks,
					  o->feat.forced & FORCE_CLSACT || o->opts.attach == OBSERVE_ATTACH_CLSACT, msg, msglen);
	if (!err)
		err = probes_attach_drops(&o->probes, msg, msglen);
	if (!err && o->probes.nf_loaded && !o->opts.nf_on_demand)
		err = attach_nf(o);
	o->have_nf |= o->probes.nf_loaded && o->opts.nf_on_demand;
	if (!err) {
		err = collector_open(&o->col, probes_events_fd(&o->probes));
		if (err)
			snprintf(msg, msglen, "cannot open the ring buffer: %s", strerror(-err));
		o->col.fixup = fixup_event;
		o->col.fixup_ctx = o;
	}
	if (!err)
		start_learning(o);
	o->ntc_links = nlinks;
	o->ready_ns = monotonic_ns();
	if (err && !msg[0])
		snprintf(msg, msglen, "cannot attach the observers: %s", strerror(-err));
	if (!err)
		note_missing(o);
	return err;
}

const char *observers_tc_mode(const struct observers *o)
{
	const char *m = tc_observers_mode(&o->tc);

	return m ? m : "tcx";
}

const char *observers_describe(const struct observers *o, char *buf, int size)
{
	unsigned int d = o->opts.tc_dirs;
	int n;

	n = snprintf(buf, size, "%s %s on %d links, tp_btf/kfree_skb%s", observers_tc_mode(o),
		     d == (TC_INGRESS | TC_EGRESS) ? "ingress+egress" : d & TC_INGRESS ? "ingress" : "egress",
		     o->ntc_links, o->have_reasons ? "" : " without drop reasons");
	if (n < 0 || n >= size)
		return buf;
	if (!o->probes.nf_loaded)
		snprintf(buf + n, size - n, ", no netfilter hooks");
	else if (o->opts.nf_on_demand)
		snprintf(buf + n, size - n, ", netfilter hooks in %d namespaces while ICMP is seen", o->nnf);
	else
		snprintf(buf + n, size - n, ", netfilter hooks in %d namespaces", o->nf_hooks);
	return buf;
}

uint16_t observers_probe_id(void)
{
	return (uint16_t)((getpid() ^ (unsigned int)time(NULL)) | 0x8000);
}
