/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Text output of a trace (pure: formats recorded events and facts). */
#ifndef NSTRACE_REPORT_OUTPUT_H
#define NSTRACE_REPORT_OUTPUT_H

#include <stdio.h>
#include "analysis/path.h"
#include "model/flow.h"
#include "model/names.h"
#include "report/report.h"

/* The interfaces traced, as read now when net has it (a change since the lab was built shows). */
void print_topology(struct textout *tx, const struct topo *t, const struct netview *net);
/* Packet p, numbered n: its hops with relative times, then its path and fate. */
void print_packet(struct textout *tx, const struct observed *o, const struct packet *p, int n);
void print_packets(struct textout *tx, const struct observed *o);
/* Every drop, benign ones said once with how many; returns the count that matter. */
int print_drops(struct textout *tx, const struct observed *o);
/* One line: "drops: none", or how many by reason (--quiet). Returns the count that matter. */
int print_drops_brief(struct textout *tx, const struct observed *o);
void print_probe_summary(struct textout *tx, const struct probe_summary *s);

/* Names for what the text shows: "lo", "ns1/eth0" when names repeat, "if7" when unknown. */
const char *event_dev(const struct observed *o, const struct nstrace_event *e, char *buf, int size);
const char *event_ns(const struct observed *o, uint32_t ino, char *buf, int size);
/* "eth0", or "c1/eth0" when another traced namespace has an eth0 too. */
const char *topo_if_label(const struct topo *t, int idx, char *buf, int size);

#endif
