// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "analysis/drops.h"
#include "analysis/fate.h"

const char *fate_name(int kind)
{
	static const char *const names[] = { "unseen", "delivered", "dropped", "vanished" };

	return kind >= 0 && kind <= FATE_VANISHED ? names[kind] : "?";
}

/* The first netfilter hook the packet entered (first priority) and never left (last priority). */
static const struct nstrace_event *hook_never_left(const struct nstrace_event *ev, const struct packet *p)
{
	for (int i = 0; i < p->nevents; i++) {
		const struct nstrace_event *a = &ev[p->events[i]];
		int passed = 0;

		if (a->source != NSTRACE_SRC_NF || a->nf_edge != NSTRACE_NF_FIRST)
			continue;
		/* Events are in time order: only a later 'passed' in the same place counts. */
		for (int j = i + 1; j < p->nevents && !passed; j++) {
			const struct nstrace_event *b = &ev[p->events[j]];

			passed = b->source == NSTRACE_SRC_NF && b->nf_edge == NSTRACE_NF_LAST &&
				 b->nf_hook == a->nf_hook && b->netns_ino == a->netns_ino;
		}
		if (!passed)
			return a;
	}
	return NULL;
}

static const struct nstrace_event *first_real_drop(const struct nstrace_event *ev, const struct packet *p,
						   const struct namer *nm)
{
	for (int i = 0; i < p->nevents; i++) {
		const struct nstrace_event *e = &ev[p->events[i]];

		if (e->source == NSTRACE_SRC_DROP && !drop_benign_why(e, nm))
			return e;
	}
	return NULL;
}

static int on_path(const struct packet *p, int idx)
{
	for (int i = 0; i < p->nhops; i++)
		if (p->hops[i].ifidx == idx)
			return i;
	return -1;
}

/*
 * Where it died, if not on a hop already: a bridge port the bridge was
 * sending it to (FORWARD names the port it is heading for) means the path
 * went through that bridge.
 */
static void place(const struct topo *t, const struct packet *p, struct fate *f)
{
	const struct topo_if *at;
	int last_if;

	if (f->at < 0 || f->last < 0 || on_path(p, f->at) >= 0)
		return;
	at = &t->ifs[f->at];
	last_if = p->hops[f->last].ifidx;
	if (at->role == TOPO_PORT && at->master >= 0 && t->ifs[last_if].master == at->master &&
	    on_path(p, at->master) < 0)
		f->via = at->master;
}

void packet_fate(const struct topo *t, const struct nstrace_event *ev, const struct packet *p,
		 const struct namer *nm, struct fate *f)
{
	const struct nstrace_event *where;
	struct in_addr dst = { p->key.daddr };
	int target = topo_find_addr(t, dst);

	memset(f, 0, sizeof(*f));
	f->at = f->via = -1;
	f->last = path_last_observed(p);
	f->drop = first_real_drop(ev, p, nm);
	f->hook = hook_never_left(ev, p);
	/* The hook's device says which way it was going; the drop's where it was freed. */
	where = f->hook ? f->hook : f->drop;
	if (where)
		f->at = topo_find(t, where->netns_ino, (int)where->ifindex);
	if (p->delivered) {
		/*
		 * Delivered, then dropped on the way up (the target's INPUT): that is
		 * its fate. A drop elsewhere (one branch of a flood) is not.
		 */
		int here = where && target >= 0 && where->netns_ino == t->ifs[target].netns_ino;

		f->kind = here ? FATE_DROPPED : FATE_DELIVERED;
		if (!here)
			f->drop = f->hook = NULL, f->at = -1;
		return;
	}
	if (where) {
		f->kind = FATE_DROPPED;
		place(t, p, f);
		return;
	}
	/*
	 * For the bridge's own address, a port of that bridge is the last link:
	 * the bridge hands it to its own stack, which its tc hook may not have
	 * shown. Reached, through an inferred bridge hop, not "not delivered".
	 */
	if (target >= 0 && t->ifs[target].role == TOPO_BRIDGE && f->last >= 0 &&
	    t->ifs[p->hops[f->last].ifidx].master == target && f->last == p->nhops - 1) {
		f->kind = FATE_DELIVERED;
		f->via = target;
		return;
	}
	f->kind = p->nhops ? FATE_VANISHED : FATE_UNSEEN;
}
