// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "observe/collect.h"

static int on_event(void *ctx, void *data, size_t size)
{
	struct collector *c = ctx;

	if (size < sizeof(struct nstrace_event))
		return 0;
	if (c->count == c->cap) {
		int cap = c->cap ? c->cap * 2 : 256;
		void *p = realloc(c->events, cap * sizeof(*c->events));

		if (!p) {
			c->oom++;
			return 0;
		}
		c->events = p;
		c->cap = cap;
	}
	memcpy(&c->events[c->count], data, sizeof(struct nstrace_event));
	if (!c->fixup || c->fixup(c->fixup_ctx, &c->events[c->count]))
		c->count++;
	return 0;
}

int collector_open(struct collector *c, int ringbuf_fd)
{
	memset(c, 0, sizeof(*c));
	c->rb = ring_buffer__new(ringbuf_fd, on_event, c, NULL);
	return c->rb ? 0 : -errno;
}

int collector_drain(struct collector *c)
{
	int n = ring_buffer__consume(c->rb);

	return n < 0 ? n : 0;
}

int collector_wait(struct collector *c, int timeout_ms)
{
	int n = ring_buffer__poll(c->rb, timeout_ms);

	if (n < 0 && n != -EINTR)
		return n;
	/* A timeout reads nothing: what came without a wakeup is read here. */
	return collector_drain(c);
}

void collector_close(struct collector *c)
{
	ring_buffer__free(c->rb);
	free(c->events);
	memset(c, 0, sizeof(*c));
}
