// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for the feed (report/feed.c) and the record file
 * (report/record.c, report/replay.c) on a canned lab: a session recorded
 * and replayed prints the same bytes; a damaged or hostile file gives an
 * error with its byte position, never a crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "report/feed.h"
#include "report/replay.h"
#include "check.h"
#include "canned.h"

#define REASON_NO_SOCKET 3
#define REASON_NETFILTER_DROP 12
#define ADDR_NFT 0x1000
#define ADDR_PING 0x2000

static const char *fake_reason(const void *ctx, uint32_t r)
{
	(void)ctx;
	return r == REASON_NO_SOCKET ? "NO_SOCKET" : r == REASON_NETFILTER_DROP ? "NETFILTER_DROP" : NULL;
}

static const char *fake_symbol(const void *ctx, uint64_t addr, char *buf, int size)
{
	(void)ctx;
	snprintf(buf, size, "%s", addr == ADDR_NFT ? "nft_do_chain+0x10" : addr == ADDR_PING ? "ping_rcv+0x5a" : "0x0");
	return buf;
}

static const struct namer namer = { fake_reason, fake_symbol, NULL };
static struct topo_if ifs[5];
static struct topo topo;
static struct ns_ref refs[3];

static void setup(void)
{
	topo = canned_lab(ifs, 2, BR_IFINDEX);
	refs[0] = (struct ns_ref){ .ino = HOST_INO, .label = "host", .via = NS_VIA_NAME, .arg = "lab-host" };
	for (int k = 1; k <= 2; k++) {
		refs[k] = (struct ns_ref){ .ino = HOST_INO + k, .via = NS_VIA_NAME };
		snprintf(refs[k].label, sizeof(refs[k].label), "ns%d", k);
		snprintf(refs[k].arg, sizeof(refs[k].arg), "lab-ns%d", k);
	}
}

/* One echo exchange; with drop, the request dies in FORWARD on its way to veth-br2. */
static int events(struct nstrace_event *ev, int drop)
{
	struct nstrace_event req = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 1);
	struct nstrace_event rep = echo(NSTRACE_ICMP_ECHOREPLY, "10.200.0.2", "10.200.0.1", 1);
	int n = 0;

	ev[n++] = tc(&topo, req, END(1), EG, 1000);
	ev[n++] = tc(&topo, req, PORT(1), IN, 2000);
	if (drop) {
		ev[n] = tc(&topo, req, PORT(2), 0, 2500);
		ev[n].source = NSTRACE_SRC_NF;
		ev[n].nf_hook = 2;
		ev[n++].nf_edge = NSTRACE_NF_FIRST;
		ev[n] = tc(&topo, req, PORT(2), 0, 2600);
		ev[n].source = NSTRACE_SRC_DROP;
		ev[n].drop_reason = REASON_NETFILTER_DROP;
		ev[n++].location = ADDR_NFT;
		return n;
	}
	ev[n++] = tc(&topo, req, PORT(2), EG, 3000);
	ev[n++] = tc(&topo, req, END(2), IN, 4000);
	ev[n++] = tc(&topo, rep, END(2), EG, 5000);
	ev[n++] = tc(&topo, rep, PORT(2), IN, 6000);
	ev[n++] = tc(&topo, rep, PORT(1), EG, 7000);
	ev[n++] = tc(&topo, rep, END(1), IN, 8000);
	ev[n] = tc(&topo, rep, END(1), 0, 9000);
	ev[n].source = NSTRACE_SRC_DROP;
	ev[n].drop_reason = REASON_NO_SOCKET;
	ev[n++].location = ADDR_PING;
	return n;
}

/* A whole session through a feed: text to *text, and when rec, a record to *file. */
static void session(int drop, FILE *text, FILE *json, FILE *file)
{
	struct nstrace_event ev[16];
	struct state *st = state_new(3, 5);
	struct probe_summary sum = { .sent = 1, .received = !drop, .id = ICMP_ID, .rtt_min_ns = 1000,
				     .rtt_avg_ns = 1000, .rtt_max_ns = 1000 };
	struct flow flow = { .src = END(1), .sent = 1, .received = !drop, .icmp_id = ICMP_ID };
	struct rec_meta m = { .command = "run", .version = "test", .kernel = "Linux test" };
	struct recorder rec;
	struct feed f;
	int n = events(ev, drop);

	flow.dst.s_addr = inet_addr("10.200.0.2");
	for (int i = 0; i < 3; i++) {
		st->ns[i].ref = refs[i];
		st->ns[i].bridge_nf_call_iptables = i == 0;
		st->ns[i].forward_drop_rules = -1;
		st->ns[i].links_known = st->ns[i].addrs_known = 1;
	}
	for (int i = 0; i < 5; i++)
		st->links[i] = (struct link_state){ .known = 1, .exists = 1, .flags = 1, .port_state = -1,
						    .master_ifindex = ifs[i].master >= 0 ? BR_IFINDEX : 0 };
	/* A firewall fact too: the whole state makes the round trip, not only links. */
	st->chains[0] = (struct fw_chain){ .ns_ino = refs[0].ino, .backend = FW_NFT, .family = FW_IPV4, .table = "filter",
					   .name = "FORWARD", .hook = 2, .policy = drop ? FW_DROP : FW_ACCEPT };
	st->nchains = 1;
	feed_init(&f);
	f.tx.f = text;
	f.json = json;
	f.command = "run";
	if (file && !rec_start(&rec, file, &m))
		f.rec = &rec;
	feed_say(&f, FEED_HEADER, "lab test: built\n");
	feed_topology(&f, &topo, refs, 3, NULL);
	feed_trace_begin(&f, 0, &namer, NULL);
	feed_events(&f, ev, n);
	feed_summary(&f, &sum, &flow, 1);
	feed_state(&f, st);
	state_free(st);
	feed_trace_end(&f, 0, drop, NULL);
	feed_exit(&f, drop);
	if (f.rec)
		rec_finish(&rec);
	feed_free(&f);
}

struct replay_ctx {
	struct feed f;
	int exit_code;
};

static void r_text(void *c, int level, const char *t) { feed_say(&((struct replay_ctx *)c)->f, level, "%s", t); }
static void r_topo(void *c, const struct topo *t, const struct ns_ref *n, int nn, const struct netview *v)
{
	feed_topology(&((struct replay_ctx *)c)->f, t, n, nn, v);
}
static void r_begin(void *c, int p, const struct namer *nm, const struct evidence_gaps *g)
{
	feed_trace_begin(&((struct replay_ctx *)c)->f, p, nm, g);
}
static void r_events(void *c, const struct nstrace_event *e, int n) { feed_events(&((struct replay_ctx *)c)->f, e, n); }
static void r_tick(void *c, uint64_t now) { feed_tick(&((struct replay_ctx *)c)->f, now); }
static void r_sum(void *c, const struct probe_summary *s, const struct flow *fl, int n)
{
	feed_summary(&((struct replay_ctx *)c)->f, s, fl, n);
}
static void r_state(void *c, const struct state *st) { feed_state(&((struct replay_ctx *)c)->f, st); }
static void r_end(void *c, uint64_t lost, int code) { feed_trace_end(&((struct replay_ctx *)c)->f, lost, code, NULL); }
static void r_exit(void *c, int code) { ((struct replay_ctx *)c)->exit_code = code; }

static const struct replay_ops ops = { NULL, r_text, r_topo, r_begin, r_events, r_tick, r_sum, r_state, r_end, r_exit };

/* Replays buf into text (and json); the decoder's return, its error in err. */
static int replay(const char *buf, size_t len, FILE *text, FILE *json, char *err, int errlen, int *exit_code)
{
	FILE *in = fmemopen((void *)buf, len ? len : 1, "rb");
	struct replay_ctx c;
	int rc;

	if (!in)
		return -1;
	if (!len)
		fgetc(in);	/* fmemopen refuses 0 bytes: read the 1 past it */
	feed_init(&c.f);
	c.f.tx.f = text;
	c.f.json = json;
	c.exit_code = -1;
	rc = replay_file(in, &ops, &c, err, errlen);
	feed_free(&c.f);
	fclose(in);
	if (exit_code)
		*exit_code = c.exit_code;
	return rc;
}

static char *capture(int drop, char **rec, size_t *reclen, size_t *textlen)
{
	char *text = NULL;
	FILE *t = open_memstream(&text, textlen), *r = open_memstream(rec, reclen);

	session(drop, t, NULL, r);
	fclose(t);
	fclose(r);
	return text;
}

static void test_round_trip(void)
{
	for (int drop = 0; drop <= 1; drop++) {
		size_t reclen = 0, textlen = 0, againlen = 0;
		char *rec = NULL, *again = NULL, err[256], name[96];
		char *text = capture(drop, &rec, &reclen, &textlen);
		FILE *t = open_memstream(&again, &againlen);
		int code = -1, rc = replay(rec, reclen, t, NULL, err, sizeof(err), &code);

		fclose(t);
		snprintf(name, sizeof(name), "%s: replay succeeds", drop ? "drop" : "healthy");
		if (!CHECK(rc == 0, name))
			printf("     error: %s\n", err);
		snprintf(name, sizeof(name), "%s: replayed text is the session's, byte for byte", drop ? "drop" : "healthy");
		CHECK(text && again && textlen == againlen && !memcmp(text, again, textlen), name);
		snprintf(name, sizeof(name), "%s: exit code recorded", drop ? "drop" : "healthy");
		CHECK(code == drop, name);
		if (drop) {
			has(again, "✗ dropped", "drop: replay shows the drop");
			has(again, "dropped in netfilter FORWARD (host) towards veth-br2: NETFILTER_DROP at nft_do_chain",
			    "drop: replay names where and why, from the recorded kernel names");
		} else {
			has(again, "replies: 1/1", "healthy: replay shows the replies");
			has(again, "NO_SOCKET at ping_rcv+0x5a", "healthy: recorded symbol names");
		}
		free(text);
		free(rec);
		free(again);
	}
}

/* Every prefix of a record: a clean error or success, never a crash, always a position. */
static void test_truncated(void)
{
	size_t reclen = 0, textlen = 0;
	char *rec = NULL, err[256];
	char *text = capture(1, &rec, &reclen, &textlen);
	int errors = 0, positioned = 0, ok_prefixes = 0;
	FILE *null = fopen("/dev/null", "w");

	for (size_t len = 0; len < reclen; len++) {
		int rc = replay(rec, len, null, null, err, sizeof(err), NULL);

		if (!rc) {
			ok_prefixes++;
			continue;
		}
		errors++;
		positioned += !strncmp(err, "byte ", 5);
	}
	CHECK(errors > 0 && positioned == errors, "truncated record: every error names its byte");
	/* Only a cut between the session's records (before the trace, after it) reads cleanly. */
	CHECK(ok_prefixes < 8, "truncated record: a cut inside a trace is an error");
	fclose(null);
	free(text);
	free(rec);
}

/* Bytes flipped at random (a fixed seed): the decoder refuses or replays, never crashes. */
static void test_flipped(void)
{
	size_t reclen = 0, textlen = 0;
	char *rec = NULL, err[256];
	char *text = capture(0, &rec, &reclen, &textlen);
	char *copy = malloc(reclen);
	FILE *null = fopen("/dev/null", "w");
	unsigned int seed = 12345;
	int runs = 0;

	for (int i = 0; copy && i < 3000; i++) {
		memcpy(copy, rec, reclen);
		for (int k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % reclen] ^= (char)(1 + (seed >> 20) % 255);
		}
		replay(copy, reclen, null, null, err, sizeof(err), NULL);
		runs++;
	}
	CHECK(runs == 3000, "3000 damaged records replayed or refused without a crash");
	fclose(null);
	free(copy);
	free(text);
	free(rec);
}

/* A hostile record: a veth peer index outside the topology is refused with its position. */
static void test_hostile(void)
{
	size_t reclen = 0, textlen = 0;
	char *rec = NULL, err[256], *p;
	char *text = capture(0, &rec, &reclen, &textlen);
	int rc;

	/* The first interface's peer index sits after its inode, ifindex, "br0", "host" and role. */
	p = memmem(rec, reclen, "br0", 3);
	if (CHECK(p != NULL, "hostile: found the bridge in the record")) {
		int32_t bad = 9999;

		memcpy(p + 3 + 2 + 4 + 1, &bad, 4);
		rc = replay(rec, reclen, NULL, NULL, err, sizeof(err), NULL);
		CHECK(rc == -EINVAL, "hostile: peer index out of range refused");
		has(err, "veth peer index is 9999, outside -1..4", "hostile: says which field and why");
		CHECK(!strncmp(err, "byte ", 5), "hostile: says where");
	}
	memcpy(rec, "NOTAREC!", 8);
	rc = replay(rec, reclen, NULL, NULL, err, sizeof(err), NULL);
	CHECK(rc == -EINVAL && strstr(err, "not an nstrace record"), "not a record: said so");
	free(text);
	free(rec);
}

int main(void)
{
	setup();
	test_round_trip();
	test_truncated();
	test_flipped();
	test_hostile();
	return check_summary();
}
