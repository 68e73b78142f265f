/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Draining the ring buffer into an in-memory list of events. */
#ifndef NSTRACE_OBSERVE_COLLECT_H
#define NSTRACE_OBSERVE_COLLECT_H

#include "nstrace/event.h"

struct ring_buffer;

struct collector {
	struct ring_buffer *rb;
	struct nstrace_event *events;
	int count, cap;
	int oom;	/* events dropped in user space for lack of memory */
	/* Completes each event as it arrives (tc: the namespace from the observer id); 0 drops it. */
	int (*fixup)(void *ctx, struct nstrace_event *e);
	void *fixup_ctx;
};

int collector_open(struct collector *c, int ringbuf_fd);
/* Reads whatever the kernel has produced. */
int collector_drain(struct collector *c);
/*
 * Waits up to timeout_ms, reading as it goes: the programs wake us only when
 * the buffer is filling, so this returns on time either way.
 */
int collector_wait(struct collector *c, int timeout_ms);
void collector_close(struct collector *c);

#endif
