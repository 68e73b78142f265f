/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The rule-engine tests' scenarios: the canned lab, fake kernel names, the
 * state rtnetlink and /proc/sys would report, packets on the lab's links,
 * and the checks on the verdict. Header-only, shared by test_diagnose.c
 * (events and link state) and test_rules.c (the audit's facts).
 */
#ifndef NSTRACE_TEST_SCENARIO_H
#define NSTRACE_TEST_SCENARIO_H

#include <errno.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include "analysis/diagnose.h"
#include "model/packet.h"
#include "report/verdict.h"
#include "check.h"
#include "canned.h"

#define MAX_NS 3
#define NTOPO (1 + 2 * MAX_NS)
#define MAX_EV 64

#define LOWER_UP 0x10000
#define FORWARDING 3
#define BLOCKING 4

#define HOOK_PRE 0
#define HOOK_INPUT 1
#define HOOK_FORWARD 2
#define HOOK_OUTPUT 3

#define REASON_NO_SOCKET 3
#define REASON_TC_INGRESS 5
#define REASON_NETFILTER_DROP 12
#define REASON_QDISC_DROP 31
#define REASON_NEIGH_FAILED 58
#define REASON_UNKNOWN 99
#define ADDR_NFT_DO_CHAIN 0x1000
#define ADDR_NF_HOOK_SLOW 0x2000
#define ADDR_PING_RCV 0x3000
#define ADDR_ARP_ERROR_REPORT 0x5000

#define GUARD_NAME "OOB-ifs[-1]"

/*
 * The topology array, with a guard entry just before it: a read of
 * topo->ifs[-1] finds GUARD_NAME instead of whatever precedes the array.
 */
static struct {
	struct topo_if guard;
	struct topo_if ifs[NTOPO];
} lab_mem;

/* The canned lab of nns namespaces, in lab_mem.ifs, behind the guard. */
static inline struct topo lab(int nns)
{
	memset(&lab_mem, 0, sizeof(lab_mem));
	snprintf(lab_mem.guard.name, sizeof(lab_mem.guard.name), GUARD_NAME);
	lab_mem.guard.peer = lab_mem.guard.master = -1;
	return canned_lab(lab_mem.ifs, nns, BR_IFINDEX);
}

/* Fake kernel names. */
static inline const char *fake_reason(const void *ctx, uint32_t reason)
{
	(void)ctx;
	switch (reason) {
	case REASON_NO_SOCKET:
		return "NO_SOCKET";
	case REASON_TC_INGRESS:
		return "TC_INGRESS";
	case REASON_NETFILTER_DROP:
		return "NETFILTER_DROP";
	case REASON_QDISC_DROP:
		return "QDISC_DROP";
	case REASON_NEIGH_FAILED:
		return "NEIGH_FAILED";
	case NSTRACE_REASON_UNKNOWN:
		return "reason unknown";
	}
	return NULL;
}

static inline const char *fake_symbol(const void *ctx, uint64_t addr, char *buf, int size)
{
	(void)ctx;
	if (addr == ADDR_NFT_DO_CHAIN)
		snprintf(buf, size, "nft_do_chain+0x10");
	else if (addr == ADDR_NF_HOOK_SLOW)
		snprintf(buf, size, "nf_hook_slow+0x7d");
	else if (addr == ADDR_PING_RCV)
		snprintf(buf, size, "ping_rcv+0xab");
	else if (addr == ADDR_ARP_ERROR_REPORT)
		snprintf(buf, size, "arp_error_report+0x2c");
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)addr);
	return buf;
}

static const struct namer namer = { fake_reason, fake_symbol, NULL };

/* ---- one scenario: topology, state, events, flow, and the verdict ---- */

struct scenario {
	const char *name;
	struct topo t;
	struct link_state links[NTOPO];
	struct ns_state ns[1 + MAX_NS];
	int nns;
	struct nstrace_event ev[MAX_EV];
	int nev;
	struct flow flow;
	struct verdict v;
	int rc;
	int audited;		/* st holds the audit's facts: the rules may use them */
	struct state st;	/* routes, neighbours, FDB, firewalls; ns and links point at the above */
	struct evidence_gaps gaps;	/* what the observers could not give */
	const struct namer *nm;		/* names of reasons and symbols (setup: the fake one) */
};

static inline void set_addr(struct link_state *l, const char *addr, int prefixlen)
{
	l->addrs[0].s_addr = inet_addr(addr);
	l->prefixlens[0] = prefixlen;
	l->naddrs = 1;
}

static inline void ns_init(struct ns_state *s, uint32_t ino, const char *label, const char *netns)
{
	s->ref.ino = ino;
	snprintf(s->ref.label, sizeof(s->ref.label), "%s", label);
	s->ref.via = NS_VIA_NAME;
	snprintf(s->ref.arg, sizeof(s->ref.arg), "%s", netns);
	s->links_known = s->addrs_known = 1;
	s->bridge_nf_call_iptables = 0;
	s->bridge_nf_call_arptables = 0;
	s->bridge_nf_call_ip6tables = 0;
	s->icmp_echo_ignore_all = 0;
	s->ip_forward = 0;
}

/* A healthy lab of nns namespaces: ns1 pings 10.200.0.2, 3 requests, no answer yet. */
static inline void setup(struct scenario *s, const char *name, int nns)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->t = lab(nns);
	s->nns = 1 + nns;
	ns_init(&s->ns[0], HOST_INO, "host", "lab-host");
	for (int k = 1; k <= nns; k++) {
		char label[16], netns[24];

		snprintf(label, sizeof(label), "ns%d", k);
		snprintf(netns, sizeof(netns), "lab-ns%d", k);
		ns_init(&s->ns[k], HOST_INO + k, label, netns);
	}
	for (int i = 0; i < s->t.n; i++) {
		const struct topo_if *x = &s->t.ifs[i];
		struct link_state *l = &s->links[i];

		l->known = 1;
		l->exists = 1;
		l->flags = IFF_UP | LOWER_UP;
		l->master_ifindex = x->role == TOPO_PORT ? BR_IFINDEX : 0;
		l->port_state = x->role == TOPO_PORT ? FORWARDING : -1;
		l->port_isolated = 0;
		l->br_nf_call_iptables = x->role == TOPO_BRIDGE ? 0 : -1;
		l->br_nf_call_arptables = x->role == TOPO_BRIDGE ? 0 : -1;
		l->conf.mcast_solicit = 3;	/* the kernel's defaults */
		l->conf.app_solicit = 0;
		if (x->addr.s_addr) {
			char a[16];

			set_addr(l, ip_str(x->addr.s_addr, a, sizeof(a)), x->prefixlen);
		}
	}
	s->flow.src = END(1);
	s->flow.dst.s_addr = inet_addr("10.200.0.2");
	s->flow.sent = 3;
	s->flow.received = 0;
	s->flow.send_errno = 0;
	s->flow.icmp_id = ICMP_ID;
}

static inline void add(struct scenario *s, struct nstrace_event e)
{
	if (s->nev < MAX_EV)
		s->ev[s->nev++] = e;
	else
		printf("     (setup: %s: more than %d events)\n", s->name, MAX_EV);
}

static inline struct nstrace_event req(uint16_t seq)
{
	return echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", seq);
}

static inline struct nstrace_event rep(uint16_t seq)
{
	return echo(NSTRACE_ICMP_ECHOREPLY, "10.200.0.2", "10.200.0.1", seq);
}

static inline struct nstrace_event arp_req(void)
{
	return arp(NSTRACE_ARP_REQUEST, "10.200.0.1", "10.200.0.2");
}

static inline struct nstrace_event arp_rep(void)
{
	return arp(NSTRACE_ARP_REPLY, "10.200.0.2", "10.200.0.1");
}

/* pkt seen by tc on topology interface idx. */
static inline void seen(struct scenario *s, struct nstrace_event pkt, int idx, int dir, uint64_t ts)
{
	add(s, tc(&s->t, pkt, idx, dir, ts));
}

/* pkt at one edge of netfilter hook `hook` in namespace ino (ifindex 0: no device yet). */
static inline void hook_edge(struct scenario *s, struct nstrace_event pkt, uint32_t ino, int ifindex,
		      int hook, int edge, uint64_t ts)
{
	pkt.source = NSTRACE_SRC_NF;
	pkt.ts_ns = ts;
	pkt.netns_ino = ino;
	pkt.ifindex = ifindex;
	pkt.nf_hook = hook;
	pkt.nf_edge = edge;
	add(s, pkt);
}

/* pkt went through hook `hook` (both edges). */
static inline void hook_passed(struct scenario *s, struct nstrace_event pkt, uint32_t ino, int ifindex,
			int hook, uint64_t ts)
{
	hook_edge(s, pkt, ino, ifindex, hook, NSTRACE_NF_FIRST, ts);
	hook_edge(s, pkt, ino, ifindex, hook, NSTRACE_NF_LAST, ts + 1000);
}

/* kfree_skb of pkt in namespace ino on device ifindex. */
static inline void dropped(struct scenario *s, struct nstrace_event pkt, uint32_t ino, int ifindex,
		    uint32_t reason, uint64_t location, uint64_t ts)
{
	pkt.source = NSTRACE_SRC_DROP;
	pkt.ts_ns = ts;
	pkt.netns_ino = ino;
	pkt.ifindex = ifindex;
	pkt.drop_reason = reason;
	pkt.location = location;
	add(s, pkt);
}

static inline int ifindex_of(const struct scenario *s, int idx)
{
	return s->t.ifs[idx].ifindex;
}

/* Echo request seq leaves ns1: OUTPUT hook passed, then veth-ns1 egress and veth-br1 ingress. */
static inline void req_to_bridge(struct scenario *s, uint16_t seq, uint64_t t0)
{
	hook_passed(s, req(seq), HOST_INO + 1, 0, HOOK_OUTPUT, t0);
	seen(s, req(seq), END(1), EG, t0 + 10000);
	seen(s, req(seq), PORT(1), IN, t0 + 20000);
}

/* Echo request seq crosses the bridge and enters veth-ns2. */
static inline void req_delivered(struct scenario *s, uint16_t seq, uint64_t t0)
{
	req_to_bridge(s, seq, t0);
	seen(s, req(seq), PORT(2), EG, t0 + 30000);
	seen(s, req(seq), END(2), IN, t0 + 40000);
}

/* Echo reply seq crosses back and enters veth-ns1. */
static inline void rep_delivered(struct scenario *s, uint16_t seq, uint64_t t0)
{
	seen(s, rep(seq), END(2), EG, t0);
	seen(s, rep(seq), PORT(2), IN, t0 + 10000);
	seen(s, rep(seq), PORT(1), EG, t0 + 20000);
	seen(s, rep(seq), END(1), IN, t0 + 30000);
}

/* Echo requests 1..3 waiting for ARP in ns1: through OUTPUT, never on a link. */
static inline void reqs_waiting(struct scenario *s)
{
	for (int seq = 1; seq <= 3; seq++)
		hook_passed(s, req(seq), HOST_INO + 1, 0, HOOK_OUTPUT, (uint64_t)seq * 100 * MS);
}

/* The ARP request leaves ns1 and enters the bridge (and br0 itself, as a broadcast). */
static inline void arp_to_bridge(struct scenario *s, uint64_t t0)
{
	seen(s, arp_req(), END(1), EG, t0);
	seen(s, arp_req(), PORT(1), IN, t0 + 10000);
	seen(s, arp_req(), BR, IN, t0 + 20000);
}

/* ... and is flooded out of veth-br2 into ns2. */
static inline void arp_delivered(struct scenario *s, uint64_t t0)
{
	arp_to_bridge(s, t0);
	seen(s, arp_req(), PORT(2), EG, t0 + 30000);
	seen(s, arp_req(), END(2), IN, t0 + 40000);
}

/* ---- running the engine and checking its verdict ---- */

static inline int run(struct scenario *s)
{
	struct packet_list pl;
	struct evidence e;
	int err = path_group(s->ev, s->nev, &pl);

	if (err) {
		printf("     (setup: %s: path_group failed: %d)\n", s->name, err);
		s->rc = -1;
		return -1;
	}
	path_walk_all(&s->t, s->ev, &pl);
	memset(&e, 0, sizeof(e));
	e.topo = &s->t;
	e.links = s->links;
	e.ns = s->ns;
	e.nns = s->nns;
	e.ev = s->ev;
	e.nev = s->nev;
	e.pl = &pl;
	e.nm = s->nm ? s->nm : &namer;
	e.flow = s->flow;
	e.gaps = s->gaps;
	if (s->audited) {
		s->st.ns = s->ns;
		s->st.nns = s->nns;
		s->st.links = s->links;
		s->st.nlinks = s->t.n;
		e.st = &s->st;
	}
	s->rc = diagnose(&e, &s->v);
	packet_list_free(&pl);
	return s->rc;
}

static inline void dump(const struct verdict *v)
{
	printf("     verdict given:");
	print_verdict(stdout, v);
	for (int i = 0; i < v->nfix; i++)
		printf("     fix[%d] = \"%s\"\n", i, fix_text(v, i));
}

static inline const char *label(const struct scenario *s, const char *what, char *buf, int size)
{
	snprintf(buf, size, "%s: %s", s->name, what);
	return buf;
}

/* rc 1, the verdict id and whether it is conclusive. */
static inline int expect(struct scenario *s, const char *id, int conclusive)
{
	char name[200], what[80];
	int ok;

	ok = CHECK(s->rc == 1, label(s, "diagnose returns 1", name, sizeof(name)));
	snprintf(what, sizeof(what), "verdict %s", id);
	ok &= CHECK_STR(s->v.id, id, label(s, what, name, sizeof(name)));
	ok &= CHECK(s->v.conclusive == conclusive,
		    label(s, conclusive ? "conclusive" : "not conclusive", name, sizeof(name)));
	if (!ok)
		dump(&s->v);
	return ok;
}

static inline int line_found(const struct verdict *v, const char *needle)
{
	for (int i = 0; i < v->nevidence && i < VERDICT_MAX_LINES; i++)
		if (strstr(v->evidence[i], needle))
			return 1;
	return 0;
}

static inline int evidence_has(struct scenario *s, const char *needle)
{
	char name[240], what[160];

	snprintf(what, sizeof(what), "evidence mentions \"%s\"", needle);
	if (CHECK(line_found(&s->v, needle), label(s, what, name, sizeof(name))))
		return 1;
	dump(&s->v);
	return 0;
}

static inline int cause_has(struct scenario *s, const char *needle)
{
	char name[240], what[160];

	snprintf(what, sizeof(what), "cause mentions \"%s\"", needle);
	if (CHECK(strstr(s->v.cause, needle), label(s, what, name, sizeof(name))))
		return 1;
	printf("     cause: \"%s\"\n", s->v.cause);
	return 0;
}

static inline int fix0_is(struct scenario *s, const char *want)
{
	char name[200];

	return CHECK_STR(s->v.nfix > 0 ? fix_text(&s->v, 0) : NULL, want, label(s, "fix[0]", name, sizeof(name)));
}

static inline int fix0_has(struct scenario *s, const char *needle)
{
	char name[240], what[160];

	snprintf(what, sizeof(what), "fix[0] contains \"%s\"", needle);
	if (CHECK(s->v.nfix > 0 && strstr(fix_text(&s->v, 0), needle), label(s, what, name, sizeof(name))))
		return 1;
	printf("     fix[0]: \"%s\"\n", s->v.nfix > 0 ? fix_text(&s->v, 0) : "(none)");
	return 0;
}

/* One of the alternatives (fix[1..]) is exactly want. */
static inline int alternative_is(struct scenario *s, const char *want)
{
	char name[240], what[200];
	int found = 0;

	for (int i = 1; i < s->v.nfix && i < 4; i++)
		found |= !strcmp(fix_text(&s->v, i), want);
	snprintf(what, sizeof(what), "alternative fix \"%s\"", want);
	if (CHECK(found, label(s, what, name, sizeof(name))))
		return 1;
	dump(&s->v);
	return 0;
}

static inline int mentions_anywhere(const struct verdict *v, const char *needle)
{
	if (strstr(v->cause, needle) || line_found(v, needle))
		return 1;
	for (int i = 0; i < v->nfix && i < 4; i++)
		if (strstr(fix_text(v, i), needle) || strstr(v->fix[i].note, needle))
			return 1;
	return 0;
}

#endif /* NSTRACE_TEST_SCENARIO_H */
