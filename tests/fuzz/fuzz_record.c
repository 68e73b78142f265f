// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: any bytes as a record file ('nstrace report FILE'). The
 * decoder must refuse or replay them, and every output a replay makes (text
 * with --explain, JSON Lines, pcapng, the diagram) must survive what it
 * accepts. Built by 'make fuzz' with the pure objects (model, analysis,
 * report); seeds in tests/fuzz/corpus/record/.
 *   build/fuzz/fuzz_record tests/fuzz/corpus/record -max_total_time=60
 */
#include <stdint.h>
#include <stdio.h>
#include "report/feed.h"
#include "report/replay.h"

static struct feed feed;
static struct pcapng pcap;

static void r_text(void *c, int level, const char *t) { (void)c; feed_say(&feed, level, "%s", t); }
static void r_topo(void *c, const struct topo *t, const struct ns_ref *n, int nn, const struct netview *v)
{
	(void)c;
	feed_topology(&feed, t, n, nn, v);
}
static void r_begin(void *c, int p, const struct namer *nm, const struct evidence_gaps *g)
{
	(void)c;
	feed_trace_begin(&feed, p, nm, g);
}
static void r_events(void *c, const struct nstrace_event *e, int n) { (void)c; feed_events(&feed, e, n); }
static void r_tick(void *c, uint64_t now) { (void)c; feed_tick(&feed, now); }
static void r_sum(void *c, const struct probe_summary *s, const struct flow *fl, int n)
{
	(void)c;
	feed_summary(&feed, s, fl, n);
}
static void r_state(void *c, const struct state *st)
{
	(void)c;
	feed_state(&feed, st);
}
static void r_end(void *c, uint64_t lost, int code) { (void)c; feed_trace_end(&feed, lost, code, NULL); }

static const struct replay_ops ops = { NULL, r_text, r_topo, r_begin, r_events, r_tick, r_sum, r_state, r_end, NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	char err[256];
	FILE *in;

	if (!null)
		null = fopen("/dev/null", "w");
	if (!size || !(in = fmemopen((void *)data, size, "rb")))
		return 0;
	feed_init(&feed);
	feed.tx.f = null;
	feed.tx.explain = 1;
	feed.json = null;
	feed.dot = null;
	if (!pcapng_start(&pcap, null, "fuzz", "fuzz"))
		feed.pcap = &pcap;
	replay_file(in, &ops, NULL, err, sizeof(err));
	pcapng_finish(&pcap);
	feed_free(&feed);
	fclose(in);
	return 0;
}
