/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reading a record file back (report/record.h has the format): every record
 * is checked before it is handed on, so a damaged or hostile file gives an
 * error naming the byte where it went wrong, never a crash or a read out of
 * bounds. Pure: reads from the FILE* it is given.
 */
#ifndef NSTRACE_REPORT_REPLAY_H
#define NSTRACE_REPORT_REPLAY_H

#include <stdio.h>
#include "report/record.h"

/* What the file says, in order. Pointers are valid until the callback returns, topology until the next one. */
struct replay_ops {
	void (*meta)(void *ctx, const struct rec_meta *m);
	void (*text)(void *ctx, int level, const char *text);
	void (*topology)(void *ctx, const struct topo *t, const struct ns_ref *nss, int nns,
			 const struct netview *net);
	/* nm names drops from the file's REC_REASON and REC_SYMBOL records. */
	void (*trace_begin)(void *ctx, int passive, const struct namer *nm, const struct evidence_gaps *gaps);
	void (*events)(void *ctx, const struct nstrace_event *ev, int n);
	void (*tick)(void *ctx, uint64_t now_ns);
	void (*summary)(void *ctx, const struct probe_summary *sum, const struct flow *flows, int nflows);
	void (*state)(void *ctx, const struct state *st);
	void (*trace_end)(void *ctx, uint64_t lost, int exit_code);
	void (*exit)(void *ctx, int exit_code);
};

/*
 * Reads f to its end. 0, or -EINVAL with "byte N: what is wrong" in err
 * (-ENOMEM, -EIO for those). Callbacks may be NULL.
 */
int replay_file(FILE *f, const struct replay_ops *ops, void *ctx, char *err, int errlen);

#endif
