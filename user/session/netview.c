// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The links of every traced namespace, read once at the start of a trace. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/netlink.h"
#include "session/trace.h"

static int add_seen(struct netview *v, uint32_t ino, const struct nl_link *l)
{
	struct if_seen *p = realloc(v->seen, (v->nseen + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	v->seen = p;
	p[v->nseen].netns_ino = ino;
	p[v->nseen].ifindex = l->ifindex;
	snprintf(p[v->nseen].name, sizeof(p[0].name), "%s", l->name);
	v->nseen++;
	return 0;
}

/* What is there now for each topology interface of namespace ino. */
static void fill_now(struct netview *v, const struct topo *t, uint32_t ino, const struct nl_link *l, int nl,
		     const struct nl_addr *a, int na)
{
	for (int i = 0; i < t->n; i++) {
		struct link_now *now = &v->now[i];

		if (t->ifs[i].netns_ino != ino)
			continue;
		now->known = 1;
		for (int j = 0; j < nl; j++) {
			if (l[j].ifindex != t->ifs[i].ifindex)
				continue;
			now->exists = 1;
			now->flags = l[j].flags;
			now->master_ifindex = l[j].master;
			memcpy(now->mac, l[j].mac, 6);
		}
		for (int j = 0; j < na; j++) {
			if (a[j].ifindex != t->ifs[i].ifindex)
				continue;
			if (!now->naddrs++) {
				now->addr = a[j].addr;
				now->prefixlen = a[j].prefixlen;
			}
		}
	}
}

int session_read_links(const struct trace_target *tg, struct netview *v)
{
	const struct topo *t = tg->topo;

	memset(v, 0, sizeof(*v));
	v->now = calloc(t->n ? t->n : 1, sizeof(*v->now));
	if (!v->now)
		return -ENOMEM;
	v->nnow = t->n;
	for (int i = 0; i < tg->nns; i++) {
		struct nl_link *l = NULL;
		struct nl_addr *a = NULL;
		struct nl nl;
		int n, na;

		if (tg->ns[i].fd < 0 || nl_open_in(&nl, tg->ns[i].fd))
			continue;	/* not read: its links stay unknown, never "missing" */
		n = nl_link_dump(&nl, &l);
		na = n >= 0 ? nl_addr_dump(&nl, &a) : -1;
		nl_close(&nl);
		for (int j = 0; j < n; j++)
			if (add_seen(v, tg->ns[i].ref.ino, &l[j]))
				break;
		if (n >= 0 && na >= 0)
			fill_now(v, t, tg->ns[i].ref.ino, l, n, a, na);
		if (n > 0)
			free(l);
		if (na > 0)
			free(a);
	}
	return 0;
}

void session_netview_free(struct netview *v)
{
	free(v->seen);
	free(v->now);
	memset(v, 0, sizeof(*v));
}
