// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for user/path.c and user/output.c on a canned lab topology
 * (the shape lab_topology() builds) and canned events.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include "analysis/path.h"
#include "report/output.h"
#include "check.h"
#include "canned.h"

#define MAX_NS 4

#define REASON_NO_SOCKET 3
#define REASON_NETFILTER_DROP 12
#define ADDR_NFT_DO_CHAIN 0x1000
#define ADDR_PING_RCV 0x2000

static struct topo_if lab_ifs[1 + 2 * MAX_NS];

/* The canned lab of nns namespaces, in lab_ifs (zeroed past its end). */
static struct topo lab(int nns)
{
	memset(lab_ifs, 0, sizeof(lab_ifs));
	return canned_lab(lab_ifs, nns, BR_IFINDEX);
}

static struct nstrace_event arp_req(const char *sender, const char *target)
{
	return arp(NSTRACE_ARP_REQUEST, sender, target);
}

static struct nstrace_event drop(const struct topo *t, struct nstrace_event pkt, int idx,
				 uint32_t reason, uint64_t location, uint64_t ts)
{
	pkt = tc(t, pkt, idx, 0, ts);
	pkt.source = NSTRACE_SRC_DROP;
	pkt.drop_reason = reason;
	pkt.location = location;
	return pkt;
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int trace(const struct topo *t, const struct nstrace_event *ev, int nev, struct packet_list *pl)
{
	int err = path_group(ev, nev, pl);

	if (err) {
		printf("     (setup: path_group failed: %d)\n", err);
		return err;
	}
	path_walk_all(t, ev, pl);
	return 0;
}

/* The path of a single-packet trace, "" and a failed check if it is not one packet. */
static const char *one_path(const struct topo *t, const struct nstrace_event *ev, int nev,
			    struct packet_list *pl, char *buf, int size, const char *name)
{
	char what[160];

	buf[0] = '\0';
	snprintf(what, sizeof(what), "%s: one packet", name);
	if (trace(t, ev, nev, pl) || !CHECK(pl->n == 1, what))
		return buf;
	return path_str(t, &pl->pkts[0], buf, size);
}

/* Fake kernel names: reasons 3 and 12, symbols at 0x1000 and 0x2000. */
static const char *fake_reason(const void *ctx, uint32_t reason)
{
	(void)ctx;
	return reason == REASON_NO_SOCKET ? "NO_SOCKET" :
	       reason == REASON_NETFILTER_DROP ? "NETFILTER_DROP" : NULL;
}

static const char *fake_symbol(const void *ctx, uint64_t addr, char *buf, int size)
{
	(void)ctx;
	if (addr == ADDR_NFT_DO_CHAIN)
		snprintf(buf, size, "nft_do_chain+0x10");
	else if (addr == ADDR_PING_RCV)
		snprintf(buf, size, "ping_rcv+0x5a");
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)addr);
	return buf;
}

static const struct namer namer = { fake_reason, fake_symbol, NULL };

static const char *const ECHO_1_2 = "NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)";

static void complete_echo(const struct topo *t, struct nstrace_event ev[4])
{
	struct nstrace_event req = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 1);

	ev[0] = tc(t, req, END(1), EG, 1000);
	ev[1] = tc(t, req, PORT(1), IN, 2000);
	ev[2] = tc(t, req, PORT(2), EG, 3000);
	ev[3] = tc(t, req, END(2), IN, 4000);
}

static void test_complete(void)
{
	struct topo t = lab(2);
	struct nstrace_event ev[4];
	struct packet_list pl;
	const struct packet *p;
	char buf[512];
	int ok = 1;

	complete_echo(&t, ev);
	CHECK_STR(one_path(&t, ev, N(ev), &pl, buf, sizeof(buf), "complete echo"), ECHO_1_2,
		  "complete echo ns1->ns2: path_str");
	if (pl.n != 1)
		goto out;
	p = &pl.pkts[0];
	CHECK(p->nevents == 4, "complete echo: 4 events");
	CHECK(p->first_ns == 1000 && p->last_ns == 4000, "complete echo: first/last time");
	CHECK(p->nhops == 5, "complete echo: 5 hops");
	CHECK(p->delivered == 1, "complete echo: delivered");
	CHECK(p->origin_known == 1, "complete echo: origin known");
	CHECK(p->flooded == 0, "complete echo: not flooded");
	if (p->nhops == 5) {
		static const int want[5] = { END(1), PORT(1), BR, PORT(2), END(2) };

		for (int i = 0; i < 5; i++)
			ok &= p->hops[i].ifidx == want[i];
		CHECK(ok, "complete echo: hop interfaces in order");
		CHECK(p->hops[2].evidence == HOP_INFERRED && p->hops[2].ts_ns == 0,
		      "complete echo: bridge hop HOP_INFERRED, no time");
		CHECK(p->hops[0].evidence == HOP_OBSERVED && p->hops[1].evidence == HOP_OBSERVED &&
		      p->hops[3].evidence == HOP_OBSERVED && p->hops[4].evidence == HOP_OBSERVED,
		      "complete echo: veth hops HOP_OBSERVED");
		CHECK(p->hops[0].egress_seen && !p->hops[0].ingress_seen && p->hops[1].ingress_seen &&
		      p->hops[3].egress_seen && p->hops[4].ingress_seen,
		      "complete echo: directions seen");
		CHECK(p->hops[0].ts_ns == 1000 && p->hops[4].ts_ns == 4000, "complete echo: hop times");
	}
	CHECK(path_last_observed(p) == 4, "complete echo: last observed is the last hop");
out:
	packet_list_free(&pl);
	CHECK(pl.n == 0 && pl.pkts == NULL, "packet_list_free empties the list");
}

static void test_shuffled(void)
{
	struct topo t = lab(2);
	struct nstrace_event ev[4], sh[4];
	static const int order[4] = { 3, 0, 2, 1 };
	struct packet_list pl;
	char buf[512];
	int sorted = 1;

	complete_echo(&t, ev);
	for (int i = 0; i < 4; i++)
		sh[i] = ev[order[i]];
	CHECK_STR(one_path(&t, sh, N(sh), &pl, buf, sizeof(buf), "shuffled echo"), ECHO_1_2,
		  "shuffled array order: same path");
	if (pl.n == 1) {
		const struct packet *p = &pl.pkts[0];

		for (int i = 1; i < p->nevents; i++)
			sorted &= sh[p->events[i - 1]].ts_ns <= sh[p->events[i]].ts_ns;
		CHECK(p->nevents == 4 && sorted, "shuffled: packet events sorted by time");
		CHECK(p->delivered == 1, "shuffled: delivered");
	}
	packet_list_free(&pl);
}

static void test_out_of_path_order(void)
{
	struct topo t = lab(2);
	struct nstrace_event a = arp_req("10.200.0.1", "10.200.0.2");
	/* Broadcast: the bridge floods to veth-br2 and delivers up to br0, both before ns2 sees it. */
	struct nstrace_event ev[] = {
		tc(&t, a, END(2), IN, 3000),
		tc(&t, a, PORT(2), EG, 2100),
		tc(&t, a, END(1), EG, 1000),
		tc(&t, a, BR, IN, 2200),
		tc(&t, a, PORT(1), IN, 2000),
	};
	struct packet_list pl;
	char buf[512];

	CHECK_STR(one_path(&t, ev, N(ev), &pl, buf, sizeof(buf), "broadcast ARP"),
		  "NS1 (veth-ns1) → veth-br1 → br0 → veth-br2 → veth-ns2 (NS2)",
		  "broadcast ARP, times out of path order: path with br0 observed");
	if (pl.n == 1 && pl.pkts[0].nhops == 5) {
		const struct hop *h = &pl.pkts[0].hops[2];

		CHECK(h->ifidx == BR && h->evidence == HOP_OBSERVED && h->ingress_seen && h->ts_ns == 2200,
		      "broadcast ARP: br0 hop observed at ingress");
		CHECK(pl.pkts[0].delivered == 1, "broadcast ARP: delivered");
	}
	packet_list_free(&pl);

	/* veth-br2 stamped before veth-br1 (clocks of two CPUs): the walk does not care. */
	ev[1].ts_ns = 1500;
	CHECK_STR(one_path(&t, ev, N(ev), &pl, buf, sizeof(buf), "port before port"),
		  "NS1 (veth-ns1) → veth-br1 → br0 → veth-br2 → veth-ns2 (NS2)",
		  "far port stamped before near port: same path");
	packet_list_free(&pl);
}

static void test_missing_hops(void)
{
	struct topo t = lab(2);
	struct nstrace_event req = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 1);
	struct nstrace_event no_br1[] = {
		tc(&t, req, END(1), EG, 1000),
		tc(&t, req, PORT(2), EG, 3000),
		tc(&t, req, END(2), IN, 4000),
	};
	struct nstrace_event no_br2[] = {
		tc(&t, req, END(1), EG, 1000),
		tc(&t, req, PORT(1), IN, 2000),
		tc(&t, req, END(2), IN, 4000),
	};
	struct nstrace_event no_ns1[] = {
		tc(&t, req, PORT(1), IN, 2000),
		tc(&t, req, PORT(2), EG, 3000),
		tc(&t, req, END(2), IN, 4000),
	};
	struct packet_list pl;
	char buf[512];

	CHECK_STR(one_path(&t, no_br1, N(no_br1), &pl, buf, sizeof(buf), "missing veth-br1"),
		  "NS1 (veth-ns1) → veth-br1* → br0* → veth-br2 → veth-ns2 (NS2)",
		  "missing veth-br1 ingress: veth-br1 inferred");
	if (pl.n == 1) {
		CHECK(pl.pkts[0].delivered == 1, "missing veth-br1 ingress: still delivered");
		CHECK(pl.pkts[0].nhops == 5 && pl.pkts[0].hops[1].evidence == HOP_INFERRED &&
		      !pl.pkts[0].hops[1].ingress_seen, "missing veth-br1 ingress: hop HOP_INFERRED");
	}
	packet_list_free(&pl);

	/* A veth pair is a cable: veth-ns2's ingress proves veth-br2 sent it (passive mode relies on it). */
	CHECK_STR(one_path(&t, no_br2, N(no_br2), &pl, buf, sizeof(buf), "missing veth-br2"),
		  "NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)",
		  "missing veth-br2 egress: veth-br2 seen through its cable (veth-ns2 ingress)");
	if (pl.n == 1)
		CHECK(pl.pkts[0].delivered == 1, "missing veth-br2 egress: still delivered");
	packet_list_free(&pl);

	CHECK_STR(one_path(&t, no_ns1, N(no_ns1), &pl, buf, sizeof(buf), "missing veth-ns1"),
		  "NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)",
		  "missing veth-ns1 egress: veth-ns1 seen through its cable (veth-br1 ingress)");
	if (pl.n == 1) {
		CHECK(pl.pkts[0].origin_known == 1, "missing veth-ns1 egress: the sender's end is known by its cable");
		CHECK(pl.pkts[0].delivered == 1, "missing veth-ns1 egress: delivered");
	}
	packet_list_free(&pl);
}

static void drop_after_br1(const struct topo *t, struct nstrace_event ev[3])
{
	struct nstrace_event req = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 1);

	ev[0] = tc(t, req, END(1), EG, 1000);
	ev[1] = tc(t, req, PORT(1), IN, 2000);
	ev[2] = drop(t, req, PORT(1), REASON_NETFILTER_DROP, ADDR_NFT_DO_CHAIN, 2500);
}

static void test_drop(void)
{
	struct topo t = lab(2);
	struct nstrace_event ev[3];
	struct packet_list pl;
	char buf[512];
	int last;

	drop_after_br1(&t, ev);
	CHECK_STR(one_path(&t, ev, N(ev), &pl, buf, sizeof(buf), "drop after veth-br1"),
		  "NS1 (veth-ns1) → veth-br1", "drop after veth-br1 ingress: path ends at veth-br1");
	if (pl.n == 1) {
		const struct packet *p = &pl.pkts[0];

		CHECK(p->nevents == 3, "drop: the DROP event belongs to the packet");
		CHECK(p->nhops == 2, "drop: inferred bridge after the last sighting trimmed");
		CHECK(p->delivered == 0, "drop: not delivered");
		last = path_last_observed(p);
		CHECK(last == 1, "drop: path_last_observed is hop 1");
		CHECK(last >= 0 && p->hops[last].ifidx == PORT(1) && p->hops[last].ingress_seen &&
		      !p->hops[last].egress_seen, "drop: last observed is veth-br1, ingress seen");
	}
	packet_list_free(&pl);
}

/*
 * Passive mode observes tc ingress only: one hook per hop, each veth pair a
 * cable whose sending end is proven by the ingress at the other.
 */
static void test_ingress_only(void)
{
	struct topo t = lab(3);
	struct nstrace_event req = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 1);
	struct nstrace_event a2 = arp_req("10.200.0.1", "10.200.0.2");
	struct nstrace_event full[] = { tc(&t, req, PORT(1), IN, 2000), tc(&t, req, END(2), IN, 4000) };
	struct nstrace_event dropped[] = {
		tc(&t, req, PORT(1), IN, 2000),
		drop(&t, req, PORT(2), REASON_NETFILTER_DROP, ADDR_NFT_DO_CHAIN, 3000),
	};
	struct nstrace_event flood[] = {
		tc(&t, a2, PORT(1), IN, 2000), tc(&t, a2, END(3), IN, 3000), tc(&t, a2, END(2), IN, 3100),
	};
	struct packet_list pl;
	char buf[512];

	CHECK_STR(one_path(&t, full, N(full), &pl, buf, sizeof(buf), "ingress only"), ECHO_1_2,
		  "ingress only: the whole path, only the bridge inferred");
	if (pl.n == 1) {
		CHECK(pl.pkts[0].delivered && pl.pkts[0].origin_known, "ingress only: delivered, origin known");
		CHECK(pl.pkts[0].nhops == 5 && !pl.pkts[0].hops[0].egress_seen &&
		      pl.pkts[0].hops[0].evidence == HOP_OBSERVED, "ingress only: veth-ns1 by its cable, no egress claimed");
	}
	packet_list_free(&pl);
	CHECK_STR(one_path(&t, dropped, N(dropped), &pl, buf, sizeof(buf), "ingress only, dropped"),
		  "NS1 (veth-ns1) → veth-br1", "ingress only: a packet dropped in the bridge ends at veth-br1");
	if (pl.n == 1)
		CHECK(!pl.pkts[0].delivered, "ingress only, dropped: not delivered");
	packet_list_free(&pl);
	CHECK_STR(one_path(&t, flood, N(flood), &pl, buf, sizeof(buf), "ingress only, flood"),
		  "NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)",
		  "ingress only: a flooded ARP follows the target's port");
	if (pl.n == 1)
		CHECK(pl.pkts[0].flooded, "ingress only: flooded (two ports' cables saw it)");
	packet_list_free(&pl);
}

static void test_flood(void)
{
	struct topo t = lab(3);
	struct nstrace_event a3 = arp_req("10.200.0.1", "10.200.0.3");
	struct nstrace_event a2 = arp_req("10.200.0.1", "10.200.0.2");
	/* To ns3, but veth-br2 sends it out first. */
	struct nstrace_event to3[] = {
		tc(&t, a3, END(1), EG, 1000),
		tc(&t, a3, PORT(1), IN, 2000),
		tc(&t, a3, PORT(2), EG, 3000),
		tc(&t, a3, PORT(3), EG, 3100),
		tc(&t, a3, END(2), IN, 4000),
		tc(&t, a3, END(3), IN, 4100),
	};
	/* To ns2, but veth-br3 sends it out first. */
	struct nstrace_event to2[] = {
		tc(&t, a2, END(1), EG, 1000),
		tc(&t, a2, PORT(1), IN, 2000),
		tc(&t, a2, PORT(3), EG, 3000),
		tc(&t, a2, PORT(2), EG, 3100),
		tc(&t, a2, END(3), IN, 4000),
		tc(&t, a2, END(2), IN, 4100),
	};
	struct packet_list pl;
	char buf[512];

	CHECK_STR(one_path(&t, to3, N(to3), &pl, buf, sizeof(buf), "flood to ns3"),
		  "NS1 (veth-ns1) → veth-br1 → br0* → veth-br3 → veth-ns3 (NS3)",
		  "3 ns, ARP flooded: path goes to the target ns3");
	if (pl.n == 1)
		CHECK(pl.pkts[0].flooded == 1 && pl.pkts[0].delivered == 1, "flood to ns3: flooded, delivered");
	packet_list_free(&pl);

	CHECK_STR(one_path(&t, to2, N(to2), &pl, buf, sizeof(buf), "flood to ns2"),
		  "NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)",
		  "3 ns, ARP flooded: path goes to the target ns2 (its port sent later)");
	if (pl.n == 1)
		CHECK(pl.pkts[0].flooded == 1 && pl.pkts[0].delivered == 1, "flood to ns2: flooded, delivered");
	packet_list_free(&pl);

	/* Who-has an address nobody owns: the first port out, never delivered. */
	for (int i = 0; i < N(to3); i++)
		to3[i].daddr = inet_addr("10.200.0.77");
	if (!trace(&t, to3, N(to3), &pl) && CHECK(pl.n == 1, "flood to nobody: one packet"))
		CHECK(pl.pkts[0].flooded == 1 && pl.pkts[0].delivered == 0 &&
		      pl.pkts[0].nhops == 5 && pl.pkts[0].hops[3].ifidx == PORT(2),
		      "flood to nobody: first port out, flooded, not delivered");
	packet_list_free(&pl);
}

/*
 * A flood where the target's own port egress was missed (ring buffer loss,
 * late attach) while another port's egress was seen: veth-ns3 ingress proves
 * where the packet went, yet pick_out_port() only falls back to the target's
 * port when no port at all was seen leaving, so the walk goes to ns2.
 */
static void test_bug_flood_missed_target_port(void)
{
	struct topo t = lab(3);
	struct nstrace_event a3 = arp_req("10.200.0.1", "10.200.0.3");
	struct nstrace_event ev[] = {
		tc(&t, a3, END(1), EG, 1000),
		tc(&t, a3, PORT(1), IN, 2000),
		tc(&t, a3, PORT(2), EG, 3000),
		/* veth-br3 egress missed */
		tc(&t, a3, END(2), IN, 4000),
		tc(&t, a3, END(3), IN, 4100),
	};
	struct packet_list pl;
	char buf[512];

	CHECK_STR(one_path(&t, ev, N(ev), &pl, buf, sizeof(buf), "BUG flood, target port missed"),
		  "NS1 (veth-ns1) → veth-br1 → br0* → veth-br3 → veth-ns3 (NS3)",
		  "BUG pick_out_port: flood with target port egress missed still goes to the target");
	if (pl.n == 1)
		CHECK(pl.pkts[0].delivered == 1,
		      "BUG pick_out_port: flood with target port egress missed is delivered (veth-ns3 saw it)");
	packet_list_free(&pl);
}

static void test_host(void)
{
	struct topo t = lab(2);
	struct nstrace_event req = echo(NSTRACE_ICMP_ECHO, "10.200.0.254", "10.200.0.2", 1);
	struct nstrace_event rep = echo(NSTRACE_ICMP_ECHOREPLY, "10.200.0.2", "10.200.0.254", 1);
	struct nstrace_event out[] = {
		tc(&t, req, BR, EG, 1000),
		tc(&t, req, PORT(2), EG, 1100),
		tc(&t, req, END(2), IN, 1200),
	};
	struct nstrace_event back[] = {
		tc(&t, rep, END(2), EG, 2000),
		tc(&t, rep, PORT(2), IN, 2100),
		tc(&t, rep, BR, IN, 2200),
	};
	struct packet_list pl;
	char buf[512];

	CHECK_STR(one_path(&t, out, N(out), &pl, buf, sizeof(buf), "host to ns2"),
		  "br0 → veth-br2 → veth-ns2 (NS2)", "host to ns2 through its bridge");
	if (pl.n == 1)
		CHECK(pl.pkts[0].delivered == 1 && pl.pkts[0].origin_known == 1,
		      "host to ns2: delivered, origin known");
	packet_list_free(&pl);

	CHECK_STR(one_path(&t, back, N(back), &pl, buf, sizeof(buf), "ns2 to host"),
		  "NS2 (veth-ns2) → veth-br2 → br0", "ns2 to host: ends at the bridge");
	if (pl.n == 1)
		CHECK(pl.pkts[0].delivered == 1, "ns2 to host: delivered at br0");
	packet_list_free(&pl);
}

static void test_labels(void)
{
	struct topo t = lab(2);
	struct nstrace_event ev[4];
	struct packet_list pl;
	char buf[512], small[24];

	snprintf(lab_ifs[END(1)].ns_label, sizeof(lab_ifs[END(1)].ns_label), "blue");
	snprintf(lab_ifs[END(2)].ns_label, sizeof(lab_ifs[END(2)].ns_label), "ns12");
	complete_echo(&t, ev);
	CHECK_STR(one_path(&t, ev, N(ev), &pl, buf, sizeof(buf), "labels"),
		  "blue (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS12)",
		  "path_str: other namespace names kept, nsN upper-cased");
	if (pl.n == 1) {
		path_str(&t, &pl.pkts[0], small, sizeof(small));
		CHECK(strlen(small) == sizeof(small) - 1 && !strncmp(buf, small, strlen(small)),
		      "path_str truncates into a small buffer");
	}
	packet_list_free(&pl);
}

static void test_group(void)
{
	struct topo t = lab(2);
	struct nstrace_event s1 = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 1);
	struct nstrace_event s2 = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 2);
	struct nstrace_event a = arp_req("10.200.0.1", "10.200.0.2");
	/* seq 2 starts before seq 1 finishes; listed seq 2 first. */
	struct nstrace_event seqs[] = {
		tc(&t, s2, END(1), EG, 2500),
		tc(&t, s2, PORT(1), IN, 2600),
		tc(&t, s1, END(1), EG, 1000),
		tc(&t, s1, PORT(1), IN, 2000),
		tc(&t, s1, PORT(2), EG, 3000),
		tc(&t, s2, PORT(2), EG, 3100),
	};
	struct nstrace_event retry[2] = {
		tc(&t, a, END(1), EG, 1000 * MS),
		tc(&t, a, END(1), EG, 2000 * MS),
	};
	struct nstrace_event chain[5];
	struct packet_list pl;

	if (!trace(&t, seqs, N(seqs), &pl)) {
		CHECK(pl.n == 2, "group: two ICMP seqs give two packets");
		if (pl.n == 2) {
			CHECK(pl.pkts[0].key.seq == htons(1) && pl.pkts[1].key.seq == htons(2),
			      "group: packets ordered by first observation");
			CHECK(pl.pkts[0].nevents == 3 && pl.pkts[1].nevents == 3,
			      "group: interleaved events go to their own packet");
			CHECK(pl.pkts[0].first_ns == 1000 && pl.pkts[0].last_ns == 3000 &&
			      pl.pkts[1].first_ns == 2500 && pl.pkts[1].last_ns == 3100,
			      "group: first/last times per packet");
		}
	}
	packet_list_free(&pl);

	if (!trace(&t, retry, N(retry), &pl))
		CHECK(pl.n == 2, "group: same ARP request 1 s apart gives two packets");
	packet_list_free(&pl);

	retry[1].ts_ns = retry[0].ts_ns + 1 * MS;
	if (!trace(&t, retry, N(retry), &pl))
		CHECK(pl.n == 1 && pl.pkts[0].nevents == 2, "group: same ARP request 1 ms apart is one packet");
	packet_list_free(&pl);

	retry[1].ts_ns = retry[0].ts_ns + PATH_SPLIT_GAP_NS;
	if (!trace(&t, retry, N(retry), &pl))
		CHECK(pl.n == 1, "group: exactly PATH_SPLIT_GAP_NS apart is one packet");
	packet_list_free(&pl);

	retry[1].ts_ns = retry[0].ts_ns + PATH_SPLIT_GAP_NS + 1;
	if (!trace(&t, retry, N(retry), &pl))
		CHECK(pl.n == 2, "group: PATH_SPLIT_GAP_NS + 1 apart is two packets");
	packet_list_free(&pl);

	/* The gap counts from the latest sighting: steady hops 300 ms apart stay one packet. */
	for (int i = 0; i < N(chain); i++)
		chain[i] = tc(&t, a, END(1), EG, 1000 * MS + (uint64_t)i * 300 * MS);
	if (!trace(&t, chain, N(chain), &pl))
		CHECK(pl.n == 1 && pl.pkts[0].nevents == 5, "group: gap measured from the last sighting");
	packet_list_free(&pl);

	if (!trace(&t, seqs, 0, &pl))
		CHECK(pl.n == 0, "group: no events, no packets");
	packet_list_free(&pl);
}

static void test_unknown(void)
{
	struct topo t = lab(2);
	struct nstrace_event req = echo(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 1);
	struct nstrace_event ev[] = {
		tc(&t, req, END(1), EG, 1000),
		tc(&t, req, END(1), IN, 2000),
		drop(&t, req, END(1), REASON_NETFILTER_DROP, ADDR_NFT_DO_CHAIN, 3000),
	};
	struct packet_list pl;

	/* Same ifindex as the lab's endpoints, but in a namespace the lab does not know. */
	for (int i = 0; i < N(ev); i++)
		ev[i].netns_ino = 999;
	if (!trace(&t, ev, N(ev), &pl) && CHECK(pl.n == 1, "unknown interfaces: one packet"))
		CHECK(pl.pkts[0].nhops == 0 && pl.pkts[0].delivered == 0 &&
		      path_last_observed(&pl.pkts[0]) == -1, "unknown interfaces: nhops=0");
	packet_list_free(&pl);

	/* Only a drop: no tc sighting to walk from. */
	ev[2] = drop(&t, req, END(1), REASON_NETFILTER_DROP, ADDR_NFT_DO_CHAIN, 3000);
	if (!trace(&t, &ev[2], 1, &pl) && CHECK(pl.n == 1, "drop only: one packet"))
		CHECK(pl.pkts[0].nhops == 0, "drop only: nhops=0");
	packet_list_free(&pl);
}

static char *capture_packets(const struct topo *t, const struct nstrace_event *ev,
			     const struct packet_list *pl)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	struct observed o = { .topo = t, .ev = ev, .pl = pl, .nm = &namer };
	struct textout tx = { .f = f, .width = TEXT_WIDTH };

	if (!f)
		return NULL;
	for (int i = 0; i < pl->n; i++)
		o.nev = o.nev > pl->pkts[i].events[pl->pkts[i].nevents - 1] + 1 ? o.nev :
			pl->pkts[i].events[pl->pkts[i].nevents - 1] + 1;
	print_packets(&tx, &o);
	fclose(f);
	return text;
}

static char *capture_drops(const struct topo *t, const struct nstrace_event *ev, int nev,
			   const struct namer *nm, int *relevant)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	struct observed o = { .topo = t, .ev = ev, .nev = nev, .nm = nm };
	struct textout tx = { .f = f };	/* unwrapped: one drop, one line */

	if (!f)
		return NULL;
	*relevant = print_drops(&tx, &o);
	fclose(f);
	return text;
}

/* One line of text holds all of the needles (the drop line's layout may change). */
static int line_has(const char *text, const char *const *needles, int n, const char *name)
{
	const char *line = text;
	int ok = 0;

	while (line && *line && !ok) {
		const char *end = strchr(line, '\n');
		int len = end ? (int)(end - line) : (int)strlen(line);
		char buf[512];

		snprintf(buf, sizeof(buf), "%.*s", len, line);
		ok = 1;
		for (int i = 0; i < n; i++)
			ok &= strstr(buf, needles[i]) != NULL;
		line = end ? end + 1 : NULL;
	}
	if (!CHECK(ok, name)) {
		printf("     no line with all of:");
		for (int i = 0; i < n; i++)
			printf(" \"%s\"", needles[i]);
		printf("\n     in:\n%s\n", text ? text : "(null)");
	}
	return ok;
}

static void test_output(void)
{
	struct topo t = lab(2);
	struct nstrace_event ok_ev[4], drop_ev[3];
	struct nstrace_event rep = echo(NSTRACE_ICMP_ECHOREPLY, "10.200.0.2", "10.200.0.1", 1);
	struct nstrace_event benign[] = {
		tc(&t, rep, END(1), IN, 5000),
		drop(&t, rep, END(1), REASON_NO_SOCKET, ADDR_PING_RCV, 5100),
	};
	struct nstrace_event nowhere = tc(&t, rep, END(1), IN, 5000);
	struct nstrace_event both[4];
	struct probe_summary ps = { .sent = 3, .received = 2, .rtt_min_ns = 100000, .rtt_avg_ns = 200000, .rtt_max_ns = 300000, .id = 0x1234 };
	static const char *const nf_line[] = {
		"NETFILTER_DROP at nft_do_chain+0x10", "veth-br1", "host",
		"ICMP echo request 10.200.0.1 > 10.200.0.2 id 0x1234 seq 1",
	};
	static const char *const benign_line[] = {
		"NO_SOCKET at ping_rcv+0x5a", "veth-ns1", "ns1", "ICMP echo reply 10.200.0.2 > 10.200.0.1",
	};
	static const char *const raw_line[] = { "reason 12 at 0x1000", "veth-br1" };
	struct packet_list pl;
	char *text;
	int relevant = -1;

	complete_echo(&t, ok_ev);
	if (!trace(&t, ok_ev, N(ok_ev), &pl)) {
		text = capture_packets(&t, ok_ev, &pl);
		has(text, "[1] ICMP echo request 10.200.0.1 > 10.200.0.2 id 0x1234 seq 1\n",
		    "print_packets: packet header");
		has(text, "    path: NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)\n",
		    "print_packets: delivered path line");
		has(text, "* br0: inferred: veth-br1 and veth-br2 are its ports",
		    "print_packets: why br0 is inferred");
		has(text, "veth-ns2     ingress\n", "print_packets: hop line");
		CHECK(text && !strstr(text, "not delivered"), "print_packets: delivered has no ✗");
		free(text);
	}
	packet_list_free(&pl);

	drop_after_br1(&t, drop_ev);
	if (!trace(&t, drop_ev, N(drop_ev), &pl)) {
		text = capture_packets(&t, drop_ev, &pl);
		/* Issue 12: the path ends where the drop was, and says so. */
		has(text, "    path: NS1 (veth-ns1) → veth-br1   ✗ dropped\n",
		    "print_packets: dropped path line");
		has(text, "DROP NETFILTER_DROP at nft_do_chain\n", "print_packets: DROP NETFILTER_DROP at nft_do_chain");
		has(text, "      dropped at veth-br1 (host): NETFILTER_DROP at nft_do_chain\n",
		    "print_packets: where and why it was dropped");
		CHECK(text && !strstr(text, "last seen"), "print_packets: a known drop needs no 'last seen'");
		free(text);
	}
	packet_list_free(&pl);

	text = capture_drops(&t, drop_ev, N(drop_ev), &namer, &relevant);
	CHECK(relevant == 1, "print_drops: netfilter drop is 1 relevant drop");
	has(text, "drops:\n", "print_drops: heading");
	line_has(text, nf_line, N(nf_line), "print_drops: netfilter drop line (reason, symbol, device, packet)");
	free(text);

	text = capture_drops(&t, benign, N(benign), &namer, &relevant);
	CHECK(relevant == 0, "print_drops: benign NO_SOCKET/ping_rcv echo reply drop is 0 relevant");
	line_has(text, benign_line, N(benign_line), "print_drops: benign drop line (reason, symbol, device, packet)");
	has(text, "    ignored: no ping socket wanted the reply", "print_drops: benign drop ignored with why");
	free(text);

	both[0] = drop_ev[0];
	both[1] = benign[1];
	both[2] = drop_ev[2];
	both[3] = benign[0];
	text = capture_drops(&t, both, N(both), &namer, &relevant);
	CHECK(relevant == 1, "print_drops: benign + netfilter drops is 1 relevant");
	free(text);

	text = capture_drops(&t, drop_ev, 2, &namer, &relevant);
	CHECK(relevant == 0, "print_drops: no drop events, 0 relevant");
	has(text, "drops: none\n", "print_drops: none");
	free(text);

	text = capture_drops(&t, drop_ev, N(drop_ev), NULL, &relevant);
	CHECK(relevant == 1, "print_drops without namer: 1 relevant");
	line_has(text, raw_line, N(raw_line), "print_drops without namer: raw reason and address");
	free(text);

	if (!trace(&t, benign, N(benign), &pl)) {
		text = capture_packets(&t, benign, &pl);
		has(text, "DROP NO_SOCKET at ping_rcv (benign)\n", "print_packets: benign drop marked");
		free(text);
	}
	packet_list_free(&pl);

	nowhere.netns_ino = 999;
	nowhere.ifindex = 7;
	if (!trace(&t, &nowhere, 1, &pl)) {
		text = capture_packets(&t, &nowhere, &pl);
		has(text, "netns:999  if7", "print_packets: unknown namespace and device");
		has(text, "path: none of the traced interfaces saw it", "print_packets: no path");
		free(text);
	}
	packet_list_free(&pl);

	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		struct textout tx = { .f = f, .width = TEXT_WIDTH };

		if (f) {
			print_topology(&tx, &t, NULL);
			print_probe_summary(&tx, &ps);
			ps.received = 0;
			print_probe_summary(&tx, &ps);
			fclose(f);
		}
		has(buf, "veth-ns1", "print_topology: endpoint listed");
		has(buf, "10.200.0.1/24", "print_topology: endpoint address");
		has(buf, "↔ host/veth-br1", "print_topology: endpoint peer");
		has(buf, "↔ ns1/veth-ns1 in br0", "print_topology: port peer and bridge");
		has(buf, "replies: 2/3 (rtt min/avg/max 0.100/0.200/0.300 ms)\n", "print_probe_summary with replies");
		has(buf, "replies: 0/3\n", "print_probe_summary without replies");
		free(buf);
	}
}

int main(void)
{
	test_complete();
	test_shuffled();
	test_out_of_path_order();
	test_missing_hops();
	test_drop();
	test_ingress_only();
	test_flood();
	test_bug_flood_missed_target_port();
	test_host();
	test_labels();
	test_group();
	test_unknown();
	test_output();
	return check_summary();
}
