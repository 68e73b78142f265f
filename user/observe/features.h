/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the running kernel offers the observers, probed once, and the older
 * paths a user (or a test, on a new kernel) can force:
 *   NSTRACE_FORCE=clsact,no-nflink,no-drop-reason   (or "old": all three)
 * `--attach clsact` on run and trace forces the first one too.
 */
#ifndef NSTRACE_OBSERVE_FEATURES_H
#define NSTRACE_OBSERVE_FEATURES_H

#define FORCE_ENV "NSTRACE_FORCE"

enum force_bits {
	FORCE_CLSACT = 1 << 0,		/* tc observers as clsact filters, never tcx links (< 6.6) */
	FORCE_NO_NFLINK = 1 << 1,	/* no BPF netfilter links (< 6.4) */
	FORCE_NO_DROP_REASON = 1 << 2,	/* kfree_skb without its reason argument (< 5.17) */
};

struct observe_features {
	unsigned int forced;	/* enum force_bits */
	int nflink;		/* BPF netfilter programs load here (and are not forced off) */
	int drop_reasons;	/* the kfree_skb tracepoint carries a reason (and it is not forced off) */
};

/* Parses a NSTRACE_FORCE value into enum force_bits; -EINVAL naming the bad word in msg. */
int features_parse_force(const char *value, unsigned int *forced, char *msg, int msglen);
/* Probes the kernel; forced paths are taken whatever it offers. */
void features_probe(struct observe_features *f, unsigned int forced);

#endif
