// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* While observers are attached: probing, watching, and taking them down. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "observe/observers.h"

/* Late replies when none came back: how long to wait after the last probe. */
#define REPLY_TIMEOUT_MS 1000
/* With replies measured, a late one gets this many times the slowest round trip, at least REPLY_MIN_MS. */
#define REPLY_RTT_FACTOR 8
#define REPLY_MIN_MS 100
/*
 * After the last reply: a reply's own hops are in the ring before the socket
 * has it; what may still run on another CPU (the kernel freeing its copy)
 * takes about a round trip.
 */
#define SETTLE_MIN_MS 2
/* One wait for events while probing or watching. */
#define SLICE_MS 10

/* Waits ms for replies, draining events every slice so a flood cannot fill the ring meanwhile. */
static void wait_replies(struct observers *o, struct prober *pr, int ms, int until_all)
{
	uint64_t end = monotonic_ns() + (uint64_t)ms * 1000000ull;

	do {
		uint64_t now = monotonic_ns();
		int left = now >= end ? 0 : (int)((end - now) / 1000000ull);

		prober_recv(pr, left < SLICE_MS ? left : SLICE_MS, until_all, o->stop);
		collector_drain(&o->col);
		if (until_all && pr->received == pr->sent)
			return;
	} while (!*o->stop && monotonic_ns() < end);
}

static uint64_t max_rtt_ns(const struct prober *pr)
{
	uint64_t m = 0;

	for (int seq = 1; seq <= pr->sent; seq++)
		if (pr->rtt_ns[seq] > m)
			m = pr->rtt_ns[seq];
	return m;
}

static void summarise(const struct prober *pr, struct probe_summary *sum)
{
	sum->sent = pr->sent;
	sum->received = pr->received;
	sum->send_errno = pr->send_errno;
	for (int seq = 1; seq <= pr->sent; seq++) {
		uint64_t r = pr->rtt_ns[seq];

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
}

int observers_probe(struct observers *o, int src_netns_fd, int src_ifindex, struct in_addr dst,
		    uint16_t id, const struct probe_params *pp, struct probe_summary *sum)
{
	struct prober pr;
	uint64_t rtt;
	int err, late_ms;

	memset(sum, 0, sizeof(*sum));
	sum->id = id;
	err = prober_open(&pr, src_netns_fd, dst, id, pp->size, pp->df, pp->count);
	if (err)
		return err;
	if (src_ifindex > 0)
		neigh_flush(src_netns_fd, src_ifindex, dst);
	for (int seq = 1; seq <= pp->count && !*o->stop; seq++) {
		err = prober_send(&pr, seq);
		/* Refusals by the stack are findings, not failures: the diagnosis explains them. */
		if (err && err != -EHOSTUNREACH && err != -ENETUNREACH && err != -EADDRNOTAVAIL &&
		    err != -EPERM && err != -EACCES && err != -EMSGSIZE && err != -EINVAL && err != -ENETDOWN)
			break;
		err = 0;
		wait_replies(o, &pr, seq < pp->count ? pp->interval_ms : 0, 0);
	}
	/* Late replies: as long as the round trips measured so far justify, or the full timeout without any. */
	rtt = max_rtt_ns(&pr);
	late_ms = pr.received ? (int)(REPLY_RTT_FACTOR * rtt / 1000000ull) : REPLY_TIMEOUT_MS;
	if (late_ms < REPLY_MIN_MS)
		late_ms = REPLY_MIN_MS;
	if (late_ms > REPLY_TIMEOUT_MS)
		late_ms = REPLY_TIMEOUT_MS;
	if (!err && pr.received < pr.sent)
		wait_replies(o, &pr, late_ms, 1);
	sleep_ms(SETTLE_MIN_MS + (int)(rtt / 1000000ull));
	collector_drain(&o->col);
	summarise(&pr, sum);
	prober_close(&pr);
	return err;
}

void observers_filter_icmp_id(struct observers *o, uint16_t id, const struct cidr *subnet)
{
	int kept = 0;

	for (int i = 0; i < o->col.count; i++) {
		const struct nstrace_event *e = &o->col.events[i];
		struct in_addr sa = { e->saddr }, da = { e->daddr };

		if (e->proto == NSTRACE_PROTO_ICMP && ntohs(e->icmp_id) != id)
			continue;
		/* The host's own ARP (a lab in the root namespace sees it) is not ours. */
		if (e->proto == NSTRACE_PROTO_ARP && subnet &&
		    !cidr_contains(subnet, sa) && !cidr_contains(subnet, da))
			continue;
		o->col.events[kept++] = *e;
	}
	o->col.count = kept;
}

/* --stats: the kernel's counters per program, summed over the copies of each. */
static void read_stats(struct observers *o)
{
	int fds[8];
	const char *names[8];
	int n = probes_prog_fds(&o->probes, fds, names, 8);

	for (int g = 0; g < o->tc.ngroups; g++) {
		o->nstats = stats_add(o->stats, o->nstats, OBSERVE_MAX_STATS, "tc_ingress", tc_observers_prog_fd(&o->tc, g, 0));
		o->nstats = stats_add(o->stats, o->nstats, OBSERVE_MAX_STATS, "tc_egress", tc_observers_prog_fd(&o->tc, g, 1));
	}
	for (int i = 0; i < n; i++)
		o->nstats = stats_add(o->stats, o->nstats, OBSERVE_MAX_STATS, names[i], fds[i]);
}

void observers_stop(struct observers *o)
{
	if (o->col.rb)
		collector_drain(&o->col);
	if (o->stats_on) {
		read_stats(o);
		if (o->stats_fd >= 0)
			close(o->stats_fd);
		o->stats_on = 0;
	}
	/* The counter and the names live in maps: read them before the programs and maps go. */
	if (o->probes.skel) {
		o->lost = probes_lost(&o->probes);
		probes_read_names(&o->probes, &o->names);
	}
	learn_stop(&o->learn);
	tc_observers_destroy(&o->tc);
	probes_destroy(&o->probes);
}

void observers_free(struct observers *o)
{
	observers_stop(o);
	collector_close(&o->col);
	kernel_names_free(&o->names);
}
