/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * pcapng (draft-ietf-opsawg-pcapng) for --pcap FILE: a Section Header Block,
 * one Interface Description Block per (namespace, interface) the way the
 * events saw it, named "ns1/veth-ns1", and one Enhanced Packet Block per
 * event that captured its frame: the first NSTRACE_FRAME_MAX bytes, the
 * direction in epb_flags, the hook or drop in a comment. Frames caught above
 * the link layer (netfilter hooks, drops in the stack) go to a Linux cooked
 * (SLL) interface of their own, "ns1/veth-ns1 (stack)". Pure.
 */
#ifndef NSTRACE_REPORT_PCAPNG_H
#define NSTRACE_REPORT_PCAPNG_H

#include <stdint.h>
#include <stdio.h>
#include "report/report.h"

#define PCAPNG_LINKTYPE_ETHERNET 1
#define PCAPNG_LINKTYPE_LINUX_SLL 113

struct pcapng_if {
	uint32_t netns_ino;
	uint32_t ifindex;
	int linktype;
};

struct pcapng {
	FILE *f;
	struct pcapng_if *ifs;
	int nifs, cap;
	int err;		/* first error (an errno), 0 if none */
	long packets;		/* EPBs written */
};

/* Writes the section header; os and appl go in its options. 0 or -errno. */
int pcapng_start(struct pcapng *p, FILE *f, const char *os, const char *appl);
/* One EPB for e (and its interface's IDB the first time); packet: its number in the text, 0 if none. */
void pcapng_event(struct pcapng *p, const struct observed *o, const struct nstrace_event *e, int packet);
/* The length a frame had on the wire, from its own headers where they say it. */
uint32_t pcapng_orig_len(const struct nstrace_event *e);
/* Flushes and frees; the first error (-errno) or 0. */
int pcapng_finish(struct pcapng *p);

#endif
