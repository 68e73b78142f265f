/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a kernel drop means: its reason and place in words, and whether it matters. */
#ifndef NSTRACE_ANALYSIS_DROPS_H
#define NSTRACE_ANALYSIS_DROPS_H

#include <stdint.h>
#include "model/names.h"
#include "nstrace/event.h"

/* Short name of the drop reason, "reason 77" if the namer does not know it. */
const char *drop_reason_str(const struct namer *nm, uint32_t reason, char *buf, int size);
/* The function that freed the skb, without the +offset. */
const char *drop_location_func(const struct namer *nm, uint64_t addr, char *buf, int size);
/*
 * Why a drop is not the packet's fate (e.g. an echo reply freed by ping_rcv
 * with NO_SOCKET after a raw socket took its copy), or NULL if it matters.
 */
const char *drop_benign_why(const struct nstrace_event *e, const struct namer *nm);

#endif
