/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Grouping events into packets as they arrive (passive mode): a packet is
 * handed out as soon as it reached its destination and settled, or when it
 * has been quiet for a while; then its memory is released. Each event costs
 * one hash lookup, so the work grows with the events, not their square.
 * Pure: events in, packets out through a callback.
 */
#ifndef NSTRACE_ANALYSIS_STREAM_H
#define NSTRACE_ANALYSIS_STREAM_H

#include "analysis/path.h"

/* A delivered packet is final once nothing was added for this long (its INPUT hook, a late drop). */
#define STREAM_SETTLE_NS 20000000ull
/* Any other packet once it has been quiet this long (kept below PATH_SPLIT_GAP_NS). */
#define STREAM_QUIET_NS 250000000ull
/* Packets open at once; past this the oldest is handed out early. */
#define STREAM_MAX_OPEN 65536
/* Events kept per packet: a loop or a flood of copies must not grow it without end. */
#define STREAM_MAX_EVENTS 256

struct stream;

/* Called for each finished packet, in the order of their first events; ev[p->events[i]]. */
typedef void (*stream_emit_fn)(void *ctx, const struct nstrace_event *ev, const struct packet *p);

/* A stream over topology t (kept by pointer: it must outlive the stream). NULL without memory. */
struct stream *stream_new(const struct topo *t);
void stream_free(struct stream *s);
/* Adds packet events (tc, drop, netfilter) in any order; -ENOMEM if one could not be kept. */
int stream_add(struct stream *s, const struct nstrace_event *ev, int n);
/* Hands out the packets finished by now_ns (all of them with all). Returns how many. */
int stream_flush(struct stream *s, uint64_t now_ns, int all, stream_emit_fn emit, void *ctx);
/* Packets open now; events dropped because a packet held too many. */
int stream_open(const struct stream *s);
long stream_dropped_events(const struct stream *s);

#endif
