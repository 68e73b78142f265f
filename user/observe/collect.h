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
};

int collector_open(struct collector *c, int ringbuf_fd);
/* Reads whatever the kernel has produced; the programs never wake us. */
int collector_drain(struct collector *c);
void collector_close(struct collector *c);

#endif
