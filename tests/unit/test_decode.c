// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/decode.c: packet keys, descriptions and drop naming. */
#include <arpa/inet.h>
#include "analysis/drops.h"
#include "model/packet.h"
#include "model/topo.h"
#include "check.h"

#define REASON_NO_SOCKET 3
#define REASON_NETFILTER_DROP 12
#define ADDR_NFT_DO_CHAIN 0x1000
#define ADDR_PING_RCV 0x2000
#define ADDR_NO_OFFSET 0x3000

/* Canned kernel names, as ksyms would resolve them. */
static const char *fake_reason(const void *ctx, uint32_t reason)
{
	(void)ctx;
	switch (reason) {
	case REASON_NO_SOCKET:
		return "NO_SOCKET";
	case REASON_NETFILTER_DROP:
		return "NETFILTER_DROP";
	}
	return NULL;
}

static const char *fake_symbol(const void *ctx, uint64_t addr, char *buf, int size)
{
	(void)ctx;
	switch (addr) {
	case ADDR_NFT_DO_CHAIN:
		snprintf(buf, size, "nft_do_chain+0x10");
		break;
	case ADDR_PING_RCV:
		snprintf(buf, size, "ping_rcv+0x5a");
		break;
	case ADDR_NO_OFFSET:
		snprintf(buf, size, "exact_symbol");
		break;
	default:
		snprintf(buf, size, "0x%llx", (unsigned long long)addr);
	}
	return buf;
}

static const struct namer namer = { fake_reason, fake_symbol, NULL };

static struct nstrace_event arp(uint16_t op, const char *sender, const char *target)
{
	struct nstrace_event e;

	memset(&e, 0, sizeof(e));
	e.source = NSTRACE_SRC_TC;
	e.dir = NSTRACE_DIR_EGRESS;
	e.proto = NSTRACE_PROTO_ARP;
	e.arp_op = op;
	e.saddr = inet_addr(sender);
	e.daddr = inet_addr(target);
	return e;
}

static struct nstrace_event icmp(uint8_t type, const char *s, const char *d, uint16_t id, uint16_t seq)
{
	struct nstrace_event e;

	memset(&e, 0, sizeof(e));
	e.source = NSTRACE_SRC_TC;
	e.dir = NSTRACE_DIR_EGRESS;
	e.proto = NSTRACE_PROTO_ICMP;
	e.icmp_type = type;
	e.saddr = inet_addr(s);
	e.daddr = inet_addr(d);
	e.icmp_id = htons(id);
	e.icmp_seq = htons(seq);
	return e;
}

static struct nstrace_event as_drop(struct nstrace_event e, uint32_t reason, uint64_t location)
{
	e.source = NSTRACE_SRC_DROP;
	e.dir = 0;
	e.drop_reason = reason;
	e.location = location;
	return e;
}

static void test_keys(void)
{
	struct nstrace_event req = arp(NSTRACE_ARP_REQUEST, "10.200.0.1", "10.200.0.2");
	struct nstrace_event rep = arp(NSTRACE_ARP_REPLY, "10.200.0.1", "10.200.0.2");
	struct nstrace_event req2 = req;
	struct nstrace_event e1 = icmp(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 0x1234, 1);
	struct nstrace_event e2 = icmp(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 0x1234, 2);
	struct nstrace_event e1b = e1;
	struct nstrace_event r1 = icmp(NSTRACE_ICMP_ECHOREPLY, "10.200.0.2", "10.200.0.1", 0x1234, 1);
	struct nstrace_event other_id = icmp(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 0x4321, 1);
	struct nstrace_event drop;
	struct pkt_key kreq, krep, kreq2, k1, k2, k1b, kr1, koid, kdrop;

	/* The same ARP request seen at another hop, by another skb, at another time. */
	req2.ts_ns = 12345;
	req2.skb = 0xffff888000001000ull;
	req2.netns_ino = 4026532000u;
	req2.ifindex = 7;
	req2.dir = NSTRACE_DIR_INGRESS;
	req2.len = 28;
	/* A later hop of echo seq 1. */
	e1b.ts_ns = 999;
	e1b.skb = 0xabc;
	e1b.dir = NSTRACE_DIR_INGRESS;

	kreq = pkt_key_of(&req);
	krep = pkt_key_of(&rep);
	kreq2 = pkt_key_of(&req2);
	k1 = pkt_key_of(&e1);
	k2 = pkt_key_of(&e2);
	k1b = pkt_key_of(&e1b);
	kr1 = pkt_key_of(&r1);
	koid = pkt_key_of(&other_id);
	drop = as_drop(e1, REASON_NETFILTER_DROP, ADDR_NFT_DO_CHAIN);
	kdrop = pkt_key_of(&drop);

	CHECK(kreq.proto == NSTRACE_PROTO_ARP && kreq.type == NSTRACE_ARP_REQUEST, "ARP key: proto and op");
	CHECK(kreq.saddr == inet_addr("10.200.0.1") && kreq.daddr == inet_addr("10.200.0.2"),
	      "ARP key: addresses in network order");
	CHECK(kreq.id == 0 && kreq.seq == 0, "ARP key: id/seq are 0");
	CHECK(!pkt_key_equal(&kreq, &krep), "ARP request and reply keys differ");
	CHECK(pkt_key_equal(&kreq, &kreq2), "same ARP request on another hop/skb/time: equal keys");
	CHECK(pkt_key_equal(&kreq, &kreq), "key equals itself");

	CHECK(k1.proto == NSTRACE_PROTO_ICMP && k1.type == NSTRACE_ICMP_ECHO, "ICMP key: proto and type");
	CHECK(k1.id == htons(0x1234) && k1.seq == htons(1), "ICMP key: id/seq kept in network order");
	CHECK(!pkt_key_equal(&k1, &k2), "ICMP seq 1 and seq 2 keys differ");
	CHECK(!pkt_key_equal(&k1, &koid), "ICMP id 0x1234 and 0x4321 keys differ");
	CHECK(!pkt_key_equal(&k1, &kr1), "ICMP echo request and its reply keys differ");
	CHECK(pkt_key_equal(&k1, &k1b), "same echo on another hop: equal keys");
	CHECK(pkt_key_equal(&k1, &kdrop), "a drop event of the echo has the echo's key");
	CHECK(!pkt_key_equal(&kreq, &k1), "ARP and ICMP keys differ");
}

static void test_describe(void)
{
	struct nstrace_event req = arp(NSTRACE_ARP_REQUEST, "10.200.0.1", "10.200.0.2");
	struct nstrace_event rep = arp(NSTRACE_ARP_REPLY, "10.200.0.2", "10.200.0.1");
	struct nstrace_event odd = arp(9, "10.200.0.1", "10.200.0.2");
	struct nstrace_event ping = icmp(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 0x1234, 3);
	struct nstrace_event pong = icmp(NSTRACE_ICMP_ECHOREPLY, "10.200.0.2", "10.200.0.1", 0xbeef, 65535);
	struct nstrace_event unreach = icmp(3, "10.200.0.254", "10.200.0.1", 0, 0);
	char buf[128], small[16];

	unreach.icmp_code = 1;
	CHECK_STR(pkt_describe(&req, buf, sizeof(buf)), "ARP request who-has 10.200.0.2 tell 10.200.0.1",
		  "describe ARP request");
	/* Issue 12: the reply says the MAC it carries, from the captured frame's ARP sender field. */
	memcpy(rep.smac, (uint8_t[]){ 0x02, 0, 0, 0, 0, 0x99 }, 6);
	CHECK_STR(pkt_describe(&rep, buf, sizeof(buf)), "ARP reply 10.200.0.2 is-at 02:00:00:00:00:99 (to 10.200.0.1)",
		  "describe ARP reply: MAC from the Ethernet source without a frame");
	rep.frame_kind = NSTRACE_FRAME_ETH;
	rep.caplen = 42;
	memcpy(rep.frame + 14 + 8, (uint8_t[]){ 0x0e, 0x34, 0xbc, 0x7d, 0x01, 0xfb }, 6);
	CHECK_STR(pkt_describe(&rep, buf, sizeof(buf)), "ARP reply 10.200.0.2 is-at 0e:34:bc:7d:01:fb (to 10.200.0.1)",
		  "describe ARP reply: MAC from the frame's ARP sender hardware address");
	CHECK_STR(pkt_describe(&odd, buf, sizeof(buf)), "ARP op 9 10.200.0.1 > 10.200.0.2",
		  "describe unknown ARP op");
	CHECK_STR(pkt_describe(&ping, buf, sizeof(buf)),
		  "ICMP echo request 10.200.0.1 > 10.200.0.2 id 0x1234 seq 3", "describe ICMP echo request");
	CHECK_STR(pkt_describe(&pong, buf, sizeof(buf)),
		  "ICMP echo reply 10.200.0.2 > 10.200.0.1 id 0xbeef seq 65535", "describe ICMP echo reply");
	CHECK_STR(pkt_describe(&unreach, buf, sizeof(buf)),
		  "ICMP destination unreachable (host unreachable) 10.200.0.254 > 10.200.0.1", "describe other ICMP by name");
	unreach.icmp_type = 11;
	unreach.icmp_code = 0;
	CHECK_STR(pkt_describe(&unreach, buf, sizeof(buf)),
		  "ICMP time exceeded (TTL exceeded in transit) 10.200.0.254 > 10.200.0.1", "describe time exceeded");
	unreach.icmp_type = 3;
	unreach.icmp_code = 13;
	CHECK_STR(pkt_describe(&unreach, buf, sizeof(buf)),
		  "ICMP destination unreachable (communication administratively prohibited) 10.200.0.254 > 10.200.0.1",
		  "describe administratively prohibited");
	unreach.icmp_type = 42;
	unreach.icmp_code = 7;
	CHECK_STR(pkt_describe(&unreach, buf, sizeof(buf)), "ICMP type 42 code 7 10.200.0.254 > 10.200.0.1",
		  "describe an ICMP type without a name");
	CHECK(pkt_describe(&req, small, sizeof(small)) == small && strlen(small) == sizeof(small) - 1,
	      "describe truncates into a small buffer");
}

static void test_strings(void)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x0a, 0xc8, 0x00, 0xff };
	char buf[64];

	CHECK_STR(ip_str(inet_addr("10.200.0.254"), buf, sizeof(buf)), "10.200.0.254", "ip_str");
	CHECK_STR(ip_str(0, buf, sizeof(buf)), "0.0.0.0", "ip_str 0");
	CHECK_STR(ip_str(inet_addr("10.200.0.254"), buf, 4), "?", "ip_str buffer too small gives ?");
	CHECK_STR(mac_str(mac, buf, sizeof(buf)), "02:00:0a:c8:00:ff", "mac_str");
	CHECK_STR(nf_hook_name(0), "PREROUTING", "nf_hook_name 0");
	CHECK_STR(nf_hook_name(2), "FORWARD", "nf_hook_name 2");
	CHECK_STR(nf_hook_name(4), "POSTROUTING", "nf_hook_name 4");
	CHECK_STR(nf_hook_name(5), "?", "nf_hook_name out of range");
	CHECK_STR(nf_hook_name(-1), "?", "nf_hook_name negative");
}

static void test_drop_names(void)
{
	static const struct namer only_reason = { fake_reason, NULL, NULL };
	char buf[96];

	CHECK_STR(drop_reason_str(&namer, REASON_NETFILTER_DROP, buf, sizeof(buf)), "NETFILTER_DROP",
		  "drop_reason_str with namer");
	CHECK_STR(drop_reason_str(&namer, 77, buf, sizeof(buf)), "reason 77",
		  "drop_reason_str: namer does not know it");
	CHECK_STR(drop_reason_str(NULL, 77, buf, sizeof(buf)), "reason 77", "drop_reason_str without namer");
	CHECK_STR(drop_reason_str(NULL, REASON_NETFILTER_DROP, buf, sizeof(buf)), "reason 12",
		  "drop_reason_str without namer, known number");

	CHECK_STR(drop_location_func(&namer, ADDR_NFT_DO_CHAIN, buf, sizeof(buf)), "nft_do_chain",
		  "drop_location_func strips +0x10");
	CHECK_STR(drop_location_func(&namer, ADDR_PING_RCV, buf, sizeof(buf)), "ping_rcv",
		  "drop_location_func strips +0x5a");
	CHECK_STR(drop_location_func(&namer, ADDR_NO_OFFSET, buf, sizeof(buf)), "exact_symbol",
		  "drop_location_func without offset unchanged");
	CHECK_STR(drop_location_func(NULL, ADDR_NFT_DO_CHAIN, buf, sizeof(buf)), "0x1000",
		  "drop_location_func without namer: hex address");
	CHECK_STR(drop_location_func(&only_reason, 0xffffffff81000000ull, buf, sizeof(buf)),
		  "0xffffffff81000000", "drop_location_func with namer lacking symbol: hex address");
}

static void test_benign(void)
{
	struct nstrace_event reply = icmp(NSTRACE_ICMP_ECHOREPLY, "10.200.0.2", "10.200.0.1", 0x1234, 1);
	struct nstrace_event request = icmp(NSTRACE_ICMP_ECHO, "10.200.0.1", "10.200.0.2", 0x1234, 1);
	struct nstrace_event areq = arp(NSTRACE_ARP_REQUEST, "10.200.0.1", "10.200.0.2");
	struct nstrace_event d;

	d = as_drop(reply, REASON_NO_SOCKET, ADDR_PING_RCV);
	CHECK(drop_benign_why(&d, &namer) != NULL, "benign: echo reply, NO_SOCKET at ping_rcv");
	CHECK(drop_benign_why(&d, NULL) == NULL, "benign: without a namer nothing is known benign");

	d = as_drop(reply, REASON_NETFILTER_DROP, ADDR_NFT_DO_CHAIN);
	CHECK(drop_benign_why(&d, &namer) == NULL, "not benign: echo reply, NETFILTER_DROP at nft_do_chain");
	d = as_drop(request, REASON_NETFILTER_DROP, ADDR_NFT_DO_CHAIN);
	CHECK(drop_benign_why(&d, &namer) == NULL, "not benign: echo request, NETFILTER_DROP at nft_do_chain");

	d = as_drop(request, REASON_NO_SOCKET, ADDR_PING_RCV);
	CHECK(drop_benign_why(&d, &namer) == NULL, "not benign: echo REQUEST, NO_SOCKET at ping_rcv");
	d = as_drop(reply, REASON_NO_SOCKET, ADDR_NFT_DO_CHAIN);
	CHECK(drop_benign_why(&d, &namer) == NULL, "not benign: echo reply, NO_SOCKET elsewhere");
	d = as_drop(reply, REASON_NETFILTER_DROP, ADDR_PING_RCV);
	CHECK(drop_benign_why(&d, &namer) == NULL, "not benign: echo reply at ping_rcv, other reason");
	d = as_drop(areq, REASON_NO_SOCKET, ADDR_PING_RCV);
	CHECK(drop_benign_why(&d, &namer) == NULL, "not benign: ARP, NO_SOCKET at ping_rcv");

	reply.drop_reason = REASON_NO_SOCKET;
	reply.location = ADDR_PING_RCV;
	CHECK(drop_benign_why(&reply, &namer) == NULL, "not a drop (tc event): benign_why is NULL");
}

static void test_topo_lookup(void)
{
	struct topo_if ifs[3];
	struct topo t = { ifs, 3 };
	struct in_addr a;

	memset(ifs, 0, sizeof(ifs));
	ifs[0] = (struct topo_if){ .netns_ino = 100, .ifindex = 3, .role = TOPO_BRIDGE, .peer = -1,
				   .master = -1 };
	ifs[0].addr.s_addr = inet_addr("10.200.0.254");
	ifs[1] = (struct topo_if){ .netns_ino = 100, .ifindex = 11, .role = TOPO_PORT, .peer = 2,
				   .master = 0 };
	ifs[1].addr.s_addr = inet_addr("10.200.0.99");	/* a port with an address: not an owner */
	ifs[2] = (struct topo_if){ .netns_ino = 101, .ifindex = 2, .role = TOPO_ENDPOINT, .peer = 1,
				   .master = -1 };
	ifs[2].addr.s_addr = inet_addr("10.200.0.1");

	CHECK(topo_find(&t, 100, 3) == 0, "topo_find bridge");
	CHECK(topo_find(&t, 101, 2) == 2, "topo_find endpoint by (netns, ifindex)");
	CHECK(topo_find(&t, 100, 2) == -1, "topo_find: same ifindex, other netns is not found");
	a.s_addr = inet_addr("10.200.0.1");
	CHECK(topo_find_addr(&t, a) == 2, "topo_find_addr endpoint");
	a.s_addr = inet_addr("10.200.0.254");
	CHECK(topo_find_addr(&t, a) == 0, "topo_find_addr bridge");
	a.s_addr = inet_addr("10.200.0.99");
	CHECK(topo_find_addr(&t, a) == -1, "topo_find_addr ignores ports");
	a.s_addr = 0;
	CHECK(topo_find_addr(&t, a) == -1, "topo_find_addr 0.0.0.0 matches nothing");
}

int main(void)
{
	test_keys();
	test_describe();
	test_strings();
	test_drop_names();
	test_benign();
	test_topo_lookup();
	return check_summary();
}
