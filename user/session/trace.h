/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* After a trace: paths, drops, state and verdicts, printed (run and trace share it). */
#ifndef NSTRACE_REPORT_H
#define NSTRACE_REPORT_H

#include "session.h"
#include "state.h"

/*
 * Prints every packet, the probe summary (when sum), the drops and, for each
 * flow that lost probes, its verdict. flows NULL: derive them from the echo
 * requests seen (passive mode). Returns the number of verdicts printed, or
 * -errno.
 */
int report_trace(struct session *s, const struct topo *t, const struct state_ns *nss, int nns,
		 const struct flow *flows, int nflows, const struct probe_summary *sum,
		 struct verdict *first);

#endif
