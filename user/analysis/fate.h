/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What became of a packet, from its events: delivered, dropped (where, by
 * what), or lost from view. Every output (text, JSON, diagram) says the same
 * thing because they all ask this. Pure.
 */
#ifndef NSTRACE_ANALYSIS_FATE_H
#define NSTRACE_ANALYSIS_FATE_H

#include "analysis/path.h"
#include "model/names.h"

enum fate_kind {
	FATE_UNSEEN = 0,	/* no observed link saw it */
	FATE_DELIVERED,		/* reached the interface that owns its destination */
	FATE_DROPPED,		/* a drop or a netfilter hook that never let it go explains its end */
	FATE_VANISHED,		/* not delivered, and no event says why */
};

struct fate {
	int kind;				/* enum fate_kind */
	const struct nstrace_event *drop;	/* kfree_skb that matters, or NULL */
	const struct nstrace_event *hook;	/* netfilter hook entered and never passed, or NULL */
	int at;			/* topo index of the device it died on (or was heading to), -1 */
	int via;		/* topo index of a bridge crossed after the last hop to reach 'at', -1 */
	int last;		/* index into p->hops of the last observed hop, -1 */
};

/* The packet's fate; t and ev as given to path_walk(). */
void packet_fate(const struct topo *t, const struct nstrace_event *ev, const struct packet *p,
		 const struct namer *nm, struct fate *f);
/* "delivered", "dropped", "vanished", "unseen". */
const char *fate_name(int kind);

#endif
