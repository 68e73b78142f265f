/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Echo flows seen without nstrace's own probes (passive mode). */
#ifndef NSTRACE_ANALYSIS_FLOWS_H
#define NSTRACE_ANALYSIS_FLOWS_H

#include "analysis/path.h"
#include "model/flow.h"

/*
 * One flow per (source, destination, id) of the echo requests seen; a
 * request counts as answered when its reply reached the sender. Returns how
 * many (at most max).
 */
int flows_from_packets(const struct topo *t, const struct packet_list *pl, struct flow *out, int max);

#endif
