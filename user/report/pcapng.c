// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/drops.h"
#include "model/packet.h"
#include "report/output.h"
#include "report/pcapng.h"

#define BT_SHB 0x0a0d0d0au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define OPT_END 0
#define OPT_COMMENT 1
#define SHB_OS 3
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define EPB_FLAGS 2
#define EPB_INBOUND 1u
#define EPB_OUTBOUND 2u
#define SLL_HDR 16

/* A block is built in memory, then written whole: its length leads and trails it. */
struct block {
	unsigned char b[1024];
	size_t len;
	int overflow;
};

static void add(struct block *k, const void *p, size_t n)
{
	if (k->len + n > sizeof(k->b)) {
		k->overflow = 1;
		return;
	}
	memcpy(k->b + k->len, p, n);
	k->len += n;
}

static void add_u16(struct block *k, uint16_t v)
{
	add(k, &v, 2);
}

static void add_u32(struct block *k, uint32_t v)
{
	add(k, &v, 4);
}

static void pad(struct block *k)
{
	static const unsigned char zero[4];

	add(k, zero, (4 - k->len % 4) % 4);
}

static void option(struct block *k, uint16_t code, const void *val, size_t n)
{
	if (n > 300)
		n = 300;	/* a comment is a line, not a document */
	add_u16(k, code);
	add_u16(k, (uint16_t)n);
	add(k, val, n);
	pad(k);
}

static void option_str(struct block *k, uint16_t code, const char *s)
{
	option(k, code, s, strlen(s));
}

static void begin(struct block *k, uint32_t type)
{
	k->len = 0;
	k->overflow = 0;
	add_u32(k, type);
	add_u32(k, 0);	/* length, filled in by finish() */
}

static void finish(struct pcapng *p, struct block *k)
{
	uint32_t total;

	add_u16(k, OPT_END);
	add_u16(k, 0);
	total = (uint32_t)k->len + 4;
	add_u32(k, total);
	memcpy(k->b + 4, &total, 4);
	if (k->overflow) {
		p->err = p->err ? p->err : EOVERFLOW;
		return;
	}
	if (!p->err && fwrite(k->b, k->len, 1, p->f) != 1)
		p->err = EIO;
}

int pcapng_start(struct pcapng *p, FILE *f, const char *os, const char *appl)
{
	struct block k;

	memset(p, 0, sizeof(*p));
	p->f = f;
	begin(&k, BT_SHB);
	add_u32(&k, 0x1a2b3c4d);	/* byte-order magic: readers swap if they must */
	add_u16(&k, 1);
	add_u16(&k, 0);
	add_u32(&k, 0xffffffffu);	/* section length unknown: written as we go */
	add_u32(&k, 0xffffffffu);
	option_str(&k, SHB_OS, os);
	option_str(&k, SHB_USERAPPL, appl);
	finish(p, &k);
	return -p->err;
}

/*
 * What a link carried (tc) is an Ethernet interface; what a netfilter hook or
 * a drop saw is a "(hooks)" interface of its own, in Linux cooked form, so a
 * filter on "ns1/veth-ns1" counts each packet once per direction.
 */
static int linktype_of(const struct nstrace_event *e)
{
	return e->source == NSTRACE_SRC_TC && e->frame_kind == NSTRACE_FRAME_ETH ? PCAPNG_LINKTYPE_ETHERNET :
										  PCAPNG_LINKTYPE_LINUX_SLL;
}

static void write_idb(struct pcapng *p, const struct observed *o, const struct nstrace_event *e, int linktype)
{
	char name[128], desc[160], nsb[32], devb[24];
	const char *ns = event_ns(o, e->netns_ino, nsb, sizeof(nsb));
	const char *dev = e->ifindex ? event_dev(o, e, devb, sizeof(devb)) : "(no device)";
	uint8_t tsresol = 9;	/* nanoseconds */
	struct block k;

	snprintf(name, sizeof(name), "%s/%s%s", ns, dev, linktype == PCAPNG_LINKTYPE_ETHERNET ? "" : " (hooks)");
	if (linktype == PCAPNG_LINKTYPE_ETHERNET)
		snprintf(desc, sizeof(desc), "tc hooks of %s in network namespace %s (inode %u)", dev, ns, e->netns_ino);
	else
		snprintf(desc, sizeof(desc), "netfilter hooks and drops in %s, device %s (Linux cooked: the source MAC kept)",
			 ns, dev);
	begin(&k, BT_IDB);
	add_u16(&k, (uint16_t)linktype);
	add_u16(&k, 0);
	add_u32(&k, (linktype == PCAPNG_LINKTYPE_ETHERNET ? 0 : SLL_HDR) + NSTRACE_FRAME_MAX);
	option_str(&k, IF_NAME, name);
	option_str(&k, IF_DESCRIPTION, desc);
	option(&k, IF_TSRESOL, &tsresol, 1);
	finish(p, &k);
}

/* The interface id for e's (namespace, device, link type), describing it first if new. */
static int interface_of(struct pcapng *p, const struct observed *o, const struct nstrace_event *e)
{
	int lt = linktype_of(e);

	for (int i = 0; i < p->nifs; i++)
		if (p->ifs[i].netns_ino == e->netns_ino && p->ifs[i].ifindex == e->ifindex && p->ifs[i].linktype == lt)
			return i;
	if (p->nifs == p->cap) {
		int cap = p->cap ? p->cap * 2 : 16;
		struct pcapng_if *n = realloc(p->ifs, cap * sizeof(*n));

		if (!n) {
			p->err = p->err ? p->err : ENOMEM;
			return -1;
		}
		p->ifs = n;
		p->cap = cap;
	}
	p->ifs[p->nifs] = (struct pcapng_if){ e->netns_ino, e->ifindex, lt };
	write_idb(p, o, e, lt);
	return p->nifs++;
}

static uint16_t be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

uint32_t pcapng_orig_len(const struct nstrace_event *e)
{
	const uint8_t *f = e->frame;
	uint32_t len = e->len, caplen = e->caplen <= NSTRACE_FRAME_MAX ? e->caplen : 0;
	int l3 = e->frame_kind == NSTRACE_FRAME_ETH ? 14 : 0;
	uint16_t proto = e->frame_kind == NSTRACE_FRAME_ETH && caplen >= 14 ? be16(f + 12) :
			 e->proto == NSTRACE_PROTO_ARP ? 0x0806 : 0x0800;

	/* IPv4 says its own length; an ARP frame is its header (plus the Ethernet one). */
	if (proto == 0x0800 && caplen >= (uint32_t)l3 + 4 && (f[l3] >> 4) == 4)
		len = l3 + be16(f + l3 + 2);
	else if (proto == 0x0806 && e->frame_kind == NSTRACE_FRAME_L3)
		len = 28;
	return len < caplen ? caplen : len;
}

static void comment(const struct observed *o, const struct nstrace_event *e, int packet, char *buf, int size)
{
	char desc[128], reason[64], loc[128];
	int n = packet > 0 ? snprintf(buf, size, "[%d] ", packet) : 0;

	if (n < 0 || n >= size)
		n = 0;
	switch (e->source) {
	case NSTRACE_SRC_TC:
		n += snprintf(buf + n, size - n, "tc %s", e->dir == NSTRACE_DIR_INGRESS ? "ingress" : "egress");
		break;
	case NSTRACE_SRC_NF:
		n += snprintf(buf + n, size - n, "netfilter %s %s", nf_hook_name(e->nf_hook),
			      e->nf_edge == NSTRACE_NF_FIRST ? "entered" : "passed");
		break;
	case NSTRACE_SRC_DROP:
		if (o->nm && o->nm->symbol)
			o->nm->symbol(o->nm->ctx, e->location, loc, sizeof(loc));
		else
			snprintf(loc, sizeof(loc), "0x%llx", (unsigned long long)e->location);
		n += snprintf(buf + n, size - n, "DROP %s at %s%s", drop_reason_str(o->nm, e->drop_reason, reason, sizeof(reason)),
			      loc, drop_benign_why(e, o->nm) ? " (benign)" : "");
		break;
	}
	if (n < size)
		snprintf(buf + n, size - n, ": %s", pkt_describe(e, desc, sizeof(desc)));
}

/*
 * Linux cooked header: which protocol follows and, when the hook saw an
 * Ethernet header, its source address (the cooked form has no room for the
 * destination: the link's own capture has it).
 */
static void sll_header(struct block *k, const struct nstrace_event *e)
{
	uint8_t h[SLL_HDR] = {};
	uint16_t proto = e->proto == NSTRACE_PROTO_ARP ? 0x0806 : 0x0800;

	h[1] = e->source == NSTRACE_SRC_NF && (e->nf_hook == 3 || e->nf_hook == 4) ? 4 : 0;	/* outgoing : to us */
	if (e->frame_kind == NSTRACE_FRAME_ETH && e->caplen >= 14) {
		h[3] = 1;	/* ARPHRD_ETHER */
		h[5] = 6;
		memcpy(h + 6, e->frame + 6, 6);
	} else {
		h[2] = 0xff;
		h[3] = 0xfe;	/* ARPHRD_NONE: no link-layer address */
	}
	h[14] = (uint8_t)(proto >> 8);
	h[15] = (uint8_t)proto;
	add(k, h, sizeof(h));
}

/* The bytes after the cooked header: an Ethernet header, if any, is already in it. */
static int payload_off(const struct nstrace_event *e, int sll)
{
	return sll && e->frame_kind == NSTRACE_FRAME_ETH && e->caplen >= 14 ? 14 : 0;
}

void pcapng_event(struct pcapng *p, const struct observed *o, const struct nstrace_event *e, int packet)
{
	uint32_t caplen = e->caplen <= NSTRACE_FRAME_MAX ? e->caplen : 0, flags = 0, orig;
	uint64_t ts = e->ts_ns + (uint64_t)o->clock_offset_ns;
	int sll, id, skip;
	char text[400];
	struct block k;

	if (!caplen || e->frame_kind == NSTRACE_FRAME_NONE || p->err)
		return;
	id = interface_of(p, o, e);
	if (id < 0)
		return;
	sll = linktype_of(e) == PCAPNG_LINKTYPE_LINUX_SLL;
	skip = payload_off(e, sll);
	orig = pcapng_orig_len(e) - skip;
	begin(&k, BT_EPB);
	add_u32(&k, (uint32_t)id);
	add_u32(&k, (uint32_t)(ts >> 32));
	add_u32(&k, (uint32_t)ts);
	add_u32(&k, caplen - skip + (sll ? SLL_HDR : 0));
	add_u32(&k, orig + (sll ? SLL_HDR : 0));
	if (sll)
		sll_header(&k, e);
	add(&k, e->frame + skip, caplen - skip);
	pad(&k);
	comment(o, e, packet, text, sizeof(text));
	option_str(&k, OPT_COMMENT, text);
	if (e->source == NSTRACE_SRC_TC)
		flags = e->dir == NSTRACE_DIR_INGRESS ? EPB_INBOUND : EPB_OUTBOUND;
	if (flags)
		option(&k, EPB_FLAGS, &flags, 4);
	finish(p, &k);
	p->packets += !p->err;
}

int pcapng_finish(struct pcapng *p)
{
	int err = p->err;

	if (p->f && fflush(p->f) && !err)
		err = EIO;
	free(p->ifs);
	memset(p, 0, sizeof(*p));
	return -err;
}
