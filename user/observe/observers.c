// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "observe/observers.h"

/* Late replies: how long to wait after the last probe. */
#define REPLY_TIMEOUT_MS 1000
/* Events still in flight when the last reply arrived (the reply's own ingress hops). */
#define SETTLE_MS 50

static const char *namer_reason(const void *ctx, uint32_t reason)
{
	return kernel_drop_reason(ctx, reason);
}

static const char *namer_symbol(const void *ctx, uint64_t addr, char *buf, int size)
{
	return kernel_symbol(ctx, addr, buf, size);
}

int observers_start(struct observers *s, const struct observe_link *links, int nlinks,
		    const struct observe_nf *nf, int nnf, int links_are_ours,
		    const volatile sig_atomic_t *stop, char *msg, int msglen)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->stop = stop;
	msg[0] = '\0';
	err = kernel_names_load(&s->names);
	if (err) {
		snprintf(msg, msglen, "cannot read the kernel's names (BTF, /proc/kallsyms): %s",
			 strerror(-err));
		return err;
	}
	s->namer.reason = namer_reason;
	s->namer.symbol = namer_symbol;
	s->namer.ctx = &s->names;
	err = probes_load(&s->probes, nnf > 0, msg, msglen);
	if (err && nnf > 0) {
		/* Netfilter links need 6.4+: trace without them rather than not at all. */
		fprintf(stderr, "nstrace: netfilter observers unavailable: %s (tracing without them)\n", msg);
		nnf = 0;
		err = probes_load(&s->probes, 0, msg, msglen);
	}
	if (err)
		return err;
	s->probes.keep_qdisc = !links_are_ours;
	for (int i = 0; i < nlinks && !err; i++)
		err = probes_watch_netns(&s->probes, links[i].netns_ino);
	if (err) {
		snprintf(msg, msglen, "cannot fill the namespace filter map: %s", strerror(-err));
		return err;
	}
	for (int i = 0; i < nlinks && !err; i++)
		err = probes_attach_tc(&s->probes, links[i].netns_fd, links[i].ifindex, msg, msglen);
	if (!err)
		err = probes_attach_drops(&s->probes, msg, msglen);
	for (int i = 0; i < nnf && !err; i++) {
		if (nf[i].netns_fd < 0)
			continue;	/* a namespace that is gone: its links were skipped too */
		for (int h = 0; h < 5 && !err; h++)
			if (nf[i].hooks & (1 << h))
				err = probes_attach_nf_hook(&s->probes, nf[i].netns_fd, h, msg, msglen);
		s->nf_hooks += !err;
	}
	if (!err) {
		err = collector_open(&s->col, probes_events_fd(&s->probes));
		if (err)
			snprintf(msg, msglen, "cannot open the ring buffer: %s", strerror(-err));
	}
	s->ntc_links = nlinks;
	if (err && !msg[0])
		snprintf(msg, msglen, "cannot attach the observers: %s", strerror(-err));
	return err;
}

const char *observers_tc_mode(const struct observers *s)
{
	return s->probes.ntc && s->probes.tc[0].mode == PROBE_CLSACT ? "clsact" : "tcx";
}

int observers_probe(struct observers *s, int src_netns_fd, int src_ifindex, struct in_addr dst,
		    int count, int interval_ms, struct probe_summary *sum)
{
	struct prober pr;
	uint16_t id;
	int err;

	/* An id of our own: tells our probes from anyone else's pings. */
	id = (uint16_t)((getpid() ^ (unsigned int)time(NULL)) | 0x8000);
	memset(sum, 0, sizeof(*sum));
	sum->id = id;
	err = prober_open(&pr, src_netns_fd, dst, id, count);
	if (err)
		return err;
	if (src_ifindex > 0)
		neigh_flush(src_netns_fd, src_ifindex, dst);
	for (int seq = 1; seq <= count && !*s->stop; seq++) {
		err = prober_send(&pr, seq);
		/* Refusals by the stack are findings, not failures: the diagnosis explains them. */
		if (err && err != -EHOSTUNREACH && err != -ENETUNREACH && err != -EADDRNOTAVAIL &&
		    err != -EPERM && err != -EACCES)
			break;
		err = 0;
		prober_recv(&pr, seq < count ? interval_ms : 0, 0, s->stop);
		collector_drain(&s->col);
	}
	for (int waited = 0; !err && !*s->stop && pr.received < pr.sent &&
	     waited < REPLY_TIMEOUT_MS; waited += 50) {
		prober_recv(&pr, 50, 1, s->stop);
		collector_drain(&s->col);
	}
	sleep_ms(SETTLE_MS);
	collector_drain(&s->col);

	sum->sent = pr.sent;
	sum->received = pr.received;
	sum->send_errno = pr.send_errno;
	for (int seq = 1; seq <= pr.sent; seq++) {
		uint64_t r = pr.rtt_ns[seq];

		if (!r)
			continue;
		if (!sum->rtt_min_ns || r < sum->rtt_min_ns)
			sum->rtt_min_ns = r;
		if (r > sum->rtt_max_ns)
			sum->rtt_max_ns = r;
		sum->rtt_avg_ns += r;
	}
	if (sum->received)
		sum->rtt_avg_ns /= sum->received;
	prober_close(&pr);
	return err;
}

void observers_watch(struct observers *s, int duration_ms)
{
	for (int waited = 0; !*s->stop && (!duration_ms || waited < duration_ms); waited += 100) {
		sleep_ms(100);
		collector_drain(&s->col);
	}
}

void observers_filter_icmp_id(struct observers *s, uint16_t id, const struct cidr *subnet)
{
	int kept = 0;

	for (int i = 0; i < s->col.count; i++) {
		const struct nstrace_event *e = &s->col.events[i];
		struct in_addr sa = { e->saddr }, da = { e->daddr };

		if (e->proto == NSTRACE_PROTO_ICMP && ntohs(e->icmp_id) != id)
			continue;
		/* The host's own ARP (a lab in the root namespace sees it) is not ours. */
		if (e->proto == NSTRACE_PROTO_ARP && subnet &&
		    !cidr_contains(subnet, sa) && !cidr_contains(subnet, da))
			continue;
		s->col.events[kept++] = *e;
	}
	s->col.count = kept;
}

void observers_stop(struct observers *s)
{
	if (s->col.rb)
		collector_drain(&s->col);
	/* The counter lives in a map: read it before the programs and maps go. */
	if (s->probes.skel)
		s->lost = probes_lost(&s->probes);
	probes_destroy(&s->probes);
}

void observers_free(struct observers *s)
{
	observers_stop(s);
	collector_close(&s->col);
	kernel_names_free(&s->names);
}
