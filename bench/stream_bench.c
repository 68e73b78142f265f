// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Passive mode's processing, without a kernel: N echo exchanges (canned
 * events, as the observers report them, with ARP and a benign drop per
 * reply) fed through the feed as the live loop does (batches of events, a
 * tick every 100 ms of traffic), text and JSON rendered to /dev/null, the
 * summary at the end. Three ways: --summary (no packet printed), text, and
 * text + JSON. Each round runs 10 N bracketed by two runs of N; the median
 * over the rounds of (10 N time / mean of its two N times) is the ratio:
 * linear processing keeps it <= 10.
 * Also the peak of open packets and the evidence kept: memory that must not
 * grow with N.
 *   bench/stream_bench [N]    (default 20000 exchanges)
 *   bench/stream_bench N summary|text|json   one run, its CPU time (for a profiler)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include "report/feed.h"

#define ROUNDS 7
#define TICK_NS 100000000ull

static struct topo_if ifs[5];
static struct topo topo;
static long peak_open;

static void lab(void)
{
	const char *names[5] = { "br0", "veth-br1", "veth-ns1", "veth-br2", "veth-ns2" };

	for (int i = 0; i < 5; i++) {
		ifs[i].netns_ino = i == 0 || i % 2 ? 100 : 100 + (uint32_t)i / 2;
		ifs[i].ifindex = 10 + i;
		snprintf(ifs[i].name, sizeof(ifs[i].name), "%s", names[i]);
		snprintf(ifs[i].ns_label, sizeof(ifs[i].ns_label), "%s", i == 0 || i % 2 ? "host" : i == 2 ? "ns1" : "ns2");
		ifs[i].role = i == 0 ? TOPO_BRIDGE : i % 2 ? TOPO_PORT : TOPO_ENDPOINT;
		ifs[i].peer = i == 0 ? -1 : i % 2 ? i + 1 : i - 1;
		ifs[i].master = i % 2 ? 0 : -1;
	}
	ifs[0].addr.s_addr = inet_addr("10.200.0.254");
	ifs[2].addr.s_addr = inet_addr("10.200.0.1");
	ifs[4].addr.s_addr = inet_addr("10.200.0.2");
	for (int i = 0; i < 5; i++)
		ifs[i].prefixlen = 24;
	topo = (struct topo){ ifs, 5 };
}

static struct nstrace_event ev_at(int idx, int dir, int type, uint16_t seq, uint64_t ts)
{
	struct nstrace_event e = { .ts_ns = ts, .netns_ino = ifs[idx].netns_ino, .ifindex = (uint32_t)ifs[idx].ifindex,
				   .source = NSTRACE_SRC_TC, .dir = (uint8_t)dir, .proto = NSTRACE_PROTO_ICMP,
				   .icmp_type = (uint8_t)type, .icmp_id = htons(0x4242), .icmp_seq = htons(seq), .len = 98 };

	e.saddr = type == NSTRACE_ICMP_ECHO ? ifs[2].addr.s_addr : ifs[4].addr.s_addr;
	e.daddr = type == NSTRACE_ICMP_ECHO ? ifs[4].addr.s_addr : ifs[2].addr.s_addr;
	return e;
}

/* Exchange i: request and reply, four hops each, and the reply's benign drop at ping_rcv. */
static int exchange(struct nstrace_event *ev, int i, uint64_t t)
{
	static const int there[4] = { 2, 1, 3, 4 };
	uint16_t seq = (uint16_t)(i % 65535 + 1);
	int n = 0;

	for (int h = 0; h < 4; h++)
		ev[n++] = ev_at(there[h], h % 2 ? NSTRACE_DIR_INGRESS : NSTRACE_DIR_EGRESS, NSTRACE_ICMP_ECHO, seq, t + h * 2000);
	for (int h = 0; h < 4; h++)
		ev[n++] = ev_at(there[3 - h], h % 2 ? NSTRACE_DIR_INGRESS : NSTRACE_DIR_EGRESS, NSTRACE_ICMP_ECHOREPLY, seq,
				t + 20000 + h * 2000);
	ev[n] = ev[n - 1];
	ev[n].source = NSTRACE_SRC_DROP;
	ev[n].drop_reason = 3;
	ev[n++].ts_ns += 3000;
	return n;
}

static const char *reason(const void *ctx, uint32_t r)
{
	(void)ctx;
	return r == 3 ? "NO_SOCKET" : NULL;
}

static const char *symbol(const void *ctx, uint64_t a, char *buf, int size)
{
	(void)ctx;
	(void)a;
	snprintf(buf, size, "ping_rcv+0xab");
	return buf;
}

enum { SUMMARY, TEXT, TEXT_JSON };

/* Seconds of CPU to feed n exchanges, one every 1 ms, through a passive feed. */
static double run(int n, FILE *null, int how)
{
	static const struct namer nm = { reason, symbol, NULL };
	struct nstrace_event batch[9 * 100];
	struct timespec a, b;
	struct feed f;
	uint64_t next_tick = TICK_NS;
	int nb = 0;

	feed_init(&f);
	f.tx.f = null;
	f.tx.quiet = how == SUMMARY;
	f.json = how == TEXT_JSON ? null : NULL;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	feed_topology(&f, &topo, NULL, 0, NULL);
	feed_trace_begin(&f, 1, &nm, NULL);
	for (int i = 0; i < n; i++) {
		uint64_t t = 1000000000ull + (uint64_t)i * 1000000ull;

		nb += exchange(batch + nb, i, t);
		if (nb + 9 > (int)(sizeof(batch) / sizeof(batch[0])) || t >= next_tick) {
			feed_events(&f, batch, nb);
			nb = 0;
		}
		if (t >= next_tick) {
			feed_tick(&f, t);
			next_tick = t + TICK_NS;
			if (stream_open(f.stream) > peak_open)
				peak_open = stream_open(f.stream);
		}
	}
	feed_events(&f, batch, nb);
	feed_summary(&f, NULL, NULL, 0);
	feed_trace_end(&f, 0, -1, NULL);
	feed_free(&f);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static int by_value(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static int measure(int n, FILE *null, int how, const char *what)
{
	double small[ROUNDS], big[ROUNDS], ratios[ROUNDS], ratio;

	for (int r = 0; r < ROUNDS; r++) {
		/* A 10x run between two 1x runs, the order alternating: drift in the machine's load hits both. */
		double before = run(n, null, how), after;

		big[r] = run(10 * n, null, how);
		after = run(n, null, how);
		small[r] = (before + after) / 2;
		ratios[r] = big[r] / small[r];
	}
	qsort(small, ROUNDS, sizeof(double), by_value);
	qsort(big, ROUNDS, sizeof(double), by_value);
	qsort(ratios, ROUNDS, sizeof(double), by_value);
	ratio = ratios[ROUNDS / 2];
	printf("  %-12s %7.3f s (%5.2f us/event)  %7.3f s (%5.2f us/event)  ratio %5.2f  %s\n", what,
	       small[ROUNDS / 2], small[ROUNDS / 2] * 1e6 / (9.0 * n), big[ROUNDS / 2], big[ROUNDS / 2] * 1e6 / (90.0 * n),
	       ratio, ratio <= 10.0 ? "target met" : "target missed");
	return ratio <= 10.0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000, met = 1;
	FILE *null = fopen("/dev/null", "w");

	if (n < 100 || !null) {
		fprintf(stderr, "usage: stream_bench [N >= 100]\n");
		return 2;
	}
	lab();
	if (argc > 2) {
		int how = !strcmp(argv[2], "summary") ? SUMMARY : !strcmp(argv[2], "text") ? TEXT : TEXT_JSON;

		printf("%.3f s\n", run(n, null, how));
		return 0;
	}
	printf("passive processing, CPU time, %d rounds (10N bracketed by N), median of the per-round ratios;\n"
	       "target: 10x the events in <= 10x the time\n", ROUNDS);
	printf("  %-12s %8d exchanges (%d events)    %8d exchanges (%d events)\n", "", n, 9 * n, 10 * n, 90 * n);
	met &= measure(n, null, SUMMARY, "--summary");
	met &= measure(n, null, TEXT, "text");
	met &= measure(n, null, TEXT_JSON, "text + JSON");
	printf("  peak open packets %ld (memory does not grow with the events)\n", peak_open);
	fclose(null);
	/* Like bench/lab_build.sh: 0 once measured; the verdict is in the lines above. */
	(void)met;
	return 0;
}
