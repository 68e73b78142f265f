// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for the outputs on canned events: passive grouping
 * (analysis/stream.c, analysis/tally.c), JSON strings and lines, the pcapng
 * blocks, and the text conventions (wrapping, ASCII folding).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/stream.h"
#include "analysis/tally.h"
#include "report/output.h"
#include "report/feed.h"
#include "report/json.h"
#include "report/pcapng.h"
#include "report/text.h"
#include "check.h"
#include "canned.h"

static struct topo_if ifs[5];
static struct topo topo;

/* One echo request and its reply, seq seq, starting at t (ns), each hop 1 µs apart. */
static int exchange(struct nstrace_event *ev, int seq, uint64_t t)
{
	struct nstrace_event req = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", seq);
	struct nstrace_event rep = echo(NSTRACE_ICMP_ECHOREPLY, "10.200.0.2", "10.200.0.1", seq);
	static const int path[4] = { END(1), PORT(1), PORT(2), END(2) };
	int n = 0;

	for (int i = 0; i < 4; i++)
		ev[n++] = tc(&topo, req, path[i], i % 2 ? IN : EG, t + i * 1000);
	for (int i = 0; i < 4; i++)
		ev[n++] = tc(&topo, rep, path[3 - i], i % 2 ? IN : EG, t + 10000 + i * 1000);
	for (int i = 0; i < n; i++)
		ev[i].frame_kind = NSTRACE_FRAME_NONE;
	return n;
}

struct seen {
	int n;
	uint64_t first[64];
	int delivered[64];
	struct tally *tally;
};

static void collect(void *ctx, const struct nstrace_event *ev, const struct packet *p)
{
	struct seen *s = ctx;

	if (s->n < 64) {
		s->first[s->n] = p->first_ns;
		s->delivered[s->n] = p->delivered;
	}
	s->n++;
	if (s->tally)
		tally_packet(s->tally, &topo, ev, p, NULL);
}

static void test_stream(void)
{
	struct nstrace_event ev[32], sh[32];
	struct stream *s = stream_new(&topo);
	struct tally t;
	struct seen seen = { .tally = &t };
	int n = exchange(ev, 1, 1000000) , sorted = 1, flows;
	long requests, answered;

	n += exchange(ev + n, 2, 2000000);
	tally_init(&t);
	/* Reversed, in two batches: arrival order must not matter. */
	for (int i = 0; i < n; i++)
		sh[i] = ev[n - 1 - i];
	stream_add(s, sh, n / 2);
	stream_add(s, sh + n / 2, n - n / 2);
	CHECK(stream_open(s) == 4, "stream: 4 packets open");
	stream_flush(s, 2000000 + 1000, 0, collect, &seen);
	CHECK(seen.n == 0, "stream: nothing settled 1 µs after the last event");
	stream_flush(s, 2013000 + STREAM_SETTLE_NS, 0, collect, &seen);
	CHECK(seen.n == 4, "stream: delivered packets out once settled, before the quiet time");
	for (int i = 1; i < seen.n && i < 64; i++)
		sorted &= seen.first[i - 1] <= seen.first[i];
	CHECK(sorted, "stream: handed out in the order they began");
	CHECK(seen.delivered[0] && seen.delivered[3], "stream: paths walked (delivered)");
	CHECK(stream_open(s) == 0, "stream: released once handed out");
	tally_totals(&t, &flows, &requests, &answered);
	CHECK(flows == 1 && requests == 2 && answered == 2, "tally: 1 flow, 2 requests, 2 answered");
	stream_free(s);
	tally_free(&t);
}

/* 100000 exchanges through the stream: memory stays flat (open packets, kept evidence). */
static void test_bounded(void)
{
	struct nstrace_event ev[16];
	struct stream *s = stream_new(&topo);
	struct tally t;
	struct seen seen = { .tally = &t };
	int max_open = 0, flows;
	long requests, answered;

	tally_init(&t);
	for (int i = 0; i < 100000; i++) {
		uint64_t at = 1000000000ull + (uint64_t)i * 1000000ull;
		int n = exchange(ev, (i % 65535) + 1, at);

		stream_add(s, ev, n);
		if (stream_open(s) > max_open)
			max_open = stream_open(s);
		if (i % 100 == 0)
			stream_flush(s, at, 0, collect, &seen);
	}
	stream_flush(s, 0, 1, collect, &seen);
	tally_totals(&t, &flows, &requests, &answered);
	CHECK(seen.n == 200000, "bounded: 200000 packets handed out");
	CHECK(max_open <= 2 * 100 + 2 + 2 * (int)(STREAM_QUIET_NS / 1000000), "bounded: open packets stay few");
	CHECK(flows == 1 && t.npairs == 1, "bounded: one flow and one pair kept");
	CHECK(requests == 100000 && answered == 100000, "bounded: every request counted answered");
	stream_free(s);
	tally_free(&t);
}

static char *json_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_string(f, s);
	fclose(f);
	return buf;
}

static void test_json(void)
{
	char *j;

	j = json_of("a\"b\\c\n\x01");
	CHECK_STR(j, "\"a\\\"b\\\\c\\n\\u0001\"", "json_string: quotes, backslash, newline, control");
	free(j);
	j = json_of("µ→ ok");
	CHECK_STR(j, "\"µ→ ok\"", "json_string: UTF-8 kept");
	free(j);
	j = json_of("bad\xff\xc0\x80z");
	CHECK_STR(j, "\"bad\\ufffd\\ufffd\\ufffdz\"", "json_string: invalid UTF-8 and overlongs replaced");
	free(j);
}

/* A feed in passive mode with JSON and pcapng: every line one object; the capture well formed. */
static void test_feed_json_pcap(void)
{
	struct nstrace_event ev[16];
	char *json = NULL, *cap = NULL, *text = NULL, *line;
	size_t jlen = 0, clen = 0, tlen = 0;
	FILE *jf = open_memstream(&json, &jlen), *cf = open_memstream(&cap, &clen), *tf = open_memstream(&text, &tlen);
	struct pcapng pc;
	struct feed f;
	int n = exchange(ev, 1, 1000000), lines = 0, good = 0, blocks = 0, idbs = 0, epbs = 0, lens_ok = 1;

	for (int i = 0; i < n; i++) {
		ev[i].frame_kind = NSTRACE_FRAME_ETH;
		ev[i].caplen = 42;
	}
	feed_init(&f);
	f.tx.f = tf;
	f.json = jf;
	pcapng_start(&pc, cf, "Linux test", "nstrace test");
	f.pcap = &pc;
	feed_topology(&f, &topo, NULL, 0, NULL);
	feed_trace_begin(&f, 1, NULL, NULL);
	feed_events(&f, ev, n);
	feed_tick(&f, 1000000 + 20000 + STREAM_SETTLE_NS);
	fflush(tf);
	has(text, "[1] ICMP echo request", "passive feed: a packet printed at a tick, before the end");
	feed_summary(&f, NULL, NULL, 0);
	feed_trace_end(&f, 0, -1, NULL);
	pcapng_finish(&pc);
	feed_free(&f);
	fclose(jf);
	fclose(cf);
	fclose(tf);
	has(text, "summary: 1 flow, 1 echo request (1 answered, 0 unanswered)", "passive feed: the summary line");
	for (line = strtok(json, "\n"); line; line = strtok(NULL, "\n")) {
		lines++;
		good += !strncmp(line, "{\"type\":\"", 9) && strstr(line, "\"v\":1") && line[strlen(line) - 1] == '}';
	}
	CHECK(lines > 0 && good == lines, "json: every line an object with type and v");
	/* pcapng: blocks back to back, each length leading and trailing it. */
	for (size_t off = 0; cap && off + 12 <= clen;) {
		uint32_t type, len, trail;

		memcpy(&type, cap + off, 4);
		memcpy(&len, cap + off + 4, 4);
		if (len < 12 || len % 4 || off + len > clen) {
			lens_ok = 0;
			break;
		}
		memcpy(&trail, cap + off + len - 4, 4);
		lens_ok &= trail == len;
		idbs += type == 1;
		epbs += type == 6;
		blocks++;
		off += len;
	}
	CHECK(lens_ok && blocks == 1 + idbs + epbs, "pcapng: well-formed blocks");
	CHECK(idbs == 4, "pcapng: one interface description per (namespace, interface)");
	CHECK(epbs == 8, "pcapng: one packet block per event with a frame");
	free(json);
	free(cap);
	free(text);
}

static void test_text(void)
{
	struct textout tx = { .width = 40 };
	char *buf = NULL, out[64], *l;
	size_t len = 0, used, outlen;
	int widest = 0;

	tx.f = open_memstream(&buf, &len);
	tx_wrap(&tx, "  - ", "    ", "a sentence long enough to need wrapping at forty columns, with → arrows");
	tx_wrap(&tx, "", "", "averyveryveryverylongwordthatcannotbebrokenatallbecauseitiswhole");
	fclose(tx.f);
	for (l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (tx_columns(&tx, l) > widest && !strstr(l, "averyvery"))
			widest = tx_columns(&tx, l);
	CHECK(widest <= 40 && widest > 30, "tx_wrap: prose fits the width");
	free(buf);
	used = ascii_fold("a → b µs ✗", strlen("a → b µs ✗"), out, sizeof(out), &outlen);
	CHECK_STR(out, "a -> b us x", "ascii_fold: arrows, micro, cross");
	CHECK(used == strlen("a → b µs ✗"), "ascii_fold: consumed all");
	used = ascii_fold("x\xe2\x86", 3, out, sizeof(out), &outlen);
	CHECK(used == 1 && !strcmp(out, "x"), "ascii_fold: a glyph cut at the end waits for its rest");
	tx.color = 0;
	CHECK_STR(tx_c(&tx, TX_RED), "", "no colour: no escape");
	tx.color = 1;
	CHECK_STR(tx_c(&tx, TX_RED), "\033[31m", "colour: red");
}

/* A ping to the bridge's own address, its own hook silent: reached, never "not delivered" (issue 12). */
static void test_bridge_address(void)
{
	struct nstrace_event req = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.254", 1), ev[2];
	struct packet_list pl;
	char *text = NULL;
	size_t len = 0;
	struct textout tx = {};
	struct observed o = { .topo = &topo, .ev = ev, .nev = 2, .pl = &pl };
	FILE *f;

	ev[0] = tc(&topo, req, END(1), EG, 1000);
	ev[1] = tc(&topo, req, PORT(1), IN, 2000);
	if (!CHECK(!path_group(ev, 2, &pl), "bridge address: grouped"))
		return;
	f = open_memstream(&text, &len);
	tx.f = f;
	path_walk_all(&topo, ev, &pl);
	print_packets(&tx, &o);
	fclose(f);
	has(text, "path: NS1 (veth-ns1) → veth-br1 → br0*   (to the bridge's own address)",
	    "bridge address: the path reaches the bridge");
	CHECK(text && !strstr(text, "not delivered"), "bridge address: never 'not delivered'");
	packet_list_free(&pl);
	free(text);
}

/* Every container's eth0: told apart as ns/eth0 wherever a name stands alone (issue 12). */
static void test_repeated_names(void)
{
	struct topo_if two[5];
	struct topo t = canned_lab(two, 2, BR_IFINDEX);
	char buf[64];

	snprintf(two[END(1)].name, sizeof(two[0].name), "eth0");
	snprintf(two[END(2)].name, sizeof(two[0].name), "eth0");
	snprintf(two[END(1)].ns_label, sizeof(two[0].ns_label), "web1");
	CHECK_STR(topo_if_label(&t, END(1), buf, sizeof(buf)), "web1/eth0", "repeated name: ns/name");
	CHECK_STR(topo_if_label(&t, PORT(1), buf, sizeof(buf)), "veth-br1", "unique name: as it is");
}

/* Control bytes in names never reach the terminal; nstrace's own colours do. */
static void test_defang(void)
{
	char out[256];
	size_t outlen, used;
	const char *hostile = "eth\033]0;pwned\007x \033[31mred\033[0m \033[2J \xc2\x9b" "5m caf\xc3\xa9\n";

	used = text_defang(hostile, strlen(hostile), out, sizeof(out), &outlen);
	CHECK(used == strlen(hostile), "defang: consumed all");
	CHECK_STR(out, "eth\\x1b]0;pwned\\x07x \033[31mred\033[0m \\x1b[2J \\u009b5m caf\xc3\xa9\n",
		  "defang: OSC, BEL, CSI 2J and C1 CSI escaped; SGR, UTF-8 and newline kept");
	used = text_defang("ab\033[3", 5, out, sizeof(out), &outlen);
	CHECK(used == 2 && !strcmp(out, "ab"), "defang: a colour cut at the end waits for its rest");
	used = text_defang("ab\xc2", 3, out, sizeof(out), &outlen);
	CHECK(used == 2, "defang: a C2 lead byte at the end waits for the next");
	used = text_defang("\t\x7f", 2, out, sizeof(out), &outlen);
	CHECK_STR(out, "\t\\x7f", "defang: tab kept, DEL escaped");
}

int main(void)
{
	topo = canned_lab(ifs, 2, BR_IFINDEX);
	test_stream();
	test_bounded();
	test_json();
	test_feed_json_pcap();
	test_text();
	test_bridge_address();
	test_repeated_names();
	test_defang();
	return check_summary();
}
