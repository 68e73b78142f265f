/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reads the state the diagnosis needs, per namespace, into model facts. */
#ifndef NSTRACE_AUDIT_AUDIT_H
#define NSTRACE_AUDIT_AUDIT_H

#include "model/state.h"
#include "model/topo.h"

/*
 * Fills ns[i] for each namespace and links[] for each topo interface (by
 * ifindex in its namespace). A dump that fails leaves its *_known fact at 0.
 * Returns 0, or -errno when a namespace cannot be entered at all.
 */
int audit_read(const struct ns_handle *nss, int nns, const struct topo *t,
	       struct ns_state *ns, struct link_state *links);

#endif
