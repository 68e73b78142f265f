/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record file (--record FILE, read back by 'nstrace report FILE'): what
 * a session printed around its traces, and for each trace the topology, the
 * events, the kernel's names for the drops among them, the probe results and
 * the state read, so every output can be made again without root or a
 * kernel. Format (doc/record.md): an 8-byte magic, a u32 version and u32
 * flags, then records: u32 type, u32 length, payload. Little-endian.
 * Pure: the encoder writes to a FILE*, the decoder (report/replay.h) reads one.
 */
#ifndef NSTRACE_REPORT_RECORD_H
#define NSTRACE_REPORT_RECORD_H

#include <stdint.h>
#include <stdio.h>
#include "analysis/diagnose.h"
#include "model/flow.h"
#include "model/names.h"
#include "model/netview.h"
#include "model/state.h"
#include "model/topo.h"
#include "nstrace/event.h"

#define RECORD_MAGIC "\x89NSTREC\n"
#define RECORD_VERSION 2
/* Limits the decoder enforces: a hostile file cannot make it allocate without bound. */
#define RECORD_MAX_LEN (16u << 20)
#define RECORD_MAX_IFS 65536
#define RECORD_MAX_NS 4096
#define RECORD_MAX_SEEN (1 << 20)
#define RECORD_MAX_FLOWS 4096
#define RECORD_EVENTS_PER_RECORD 65536

enum record_type {
	REC_META = 1,		/* u32 flags, i64 clock offset, str command, str version, str kernel */
	REC_TEXT,		/* u8 level (0: left out by --quiet), bytes: text the session printed */
	REC_TOPOLOGY,		/* interfaces, namespaces, links read now */
	REC_TRACE_BEGIN,	/* u8 passive, u8 no netfilter hooks, u8 no drop reasons, u8 partial */
	REC_EVENTS,		/* u32 n, n x struct nstrace_event */
	REC_REASON,		/* u32 value, u8 known, str name */
	REC_SYMBOL,		/* u64 address, str text */
	REC_TICK,		/* u64 CLOCK_MONOTONIC ns: passive mode's clock */
	REC_SUMMARY,		/* u8 has probe summary, its fields, u32 n, n flows */
	REC_STATE,		/* u32 layout, then each fact array as u32 n, n structs (doc/record.md) */
	REC_TRACE_END,		/* u64 lost, i32 exit code */
	REC_EXIT,		/* i32 the process's exit code */
};

/* Flags in REC_META: how the session printed, so 'report' prints the same. */
#define RECORD_QUIET 1u
#define RECORD_EXPLAIN 2u

struct rec_meta {
	uint32_t flags;
	int64_t clock_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	char command[16];		/* "run", "trace" */
	char version[32];		/* nstrace's */
	char kernel[96];		/* uname -sr of the traced machine */
};

struct recorder {
	FILE *f;
	int err;			/* first write error (an errno), 0 if none */
	uint32_t *reasons;		/* drop reasons already named in the file */
	int nreasons, reasons_cap;
	uint64_t *symbols;		/* addresses already named */
	int nsymbols, symbols_cap;
	unsigned char *buf;		/* the record being built */
	size_t len, cap;
};

/* Writes the file header and REC_META. 0 or -errno. */
int rec_start(struct recorder *r, FILE *f, const struct rec_meta *m);
void rec_text(struct recorder *r, int level, const char *text);
void rec_topology(struct recorder *r, const struct topo *t, const struct ns_ref *nss, int nns,
		  const struct netview *net);
/* gaps: what the trace's observers could not see (its lost count comes at the end). */
void rec_trace_begin(struct recorder *r, int passive, const struct evidence_gaps *gaps);
/* The events, after the names (from nm) of any drop reason or location not yet in the file. */
void rec_events(struct recorder *r, const struct nstrace_event *ev, int n, const struct namer *nm);
void rec_tick(struct recorder *r, uint64_t now_ns);
void rec_summary(struct recorder *r, const struct probe_summary *sum, const struct flow *flows, int nflows);
void rec_state(struct recorder *r, const struct state *st);
void rec_trace_end(struct recorder *r, uint64_t lost, int exit_code);
void rec_exit(struct recorder *r, int exit_code);
/* Flushes and frees; returns the first error (-errno) or 0. The FILE stays open. */
int rec_finish(struct recorder *r);

#endif
