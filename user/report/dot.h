/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The topology as a Graphviz graph (--dot FILE, --svg FILE): each namespace
 * a cluster, veth pairs as cables, ports joined to their bridge, the paths
 * of the packets given drawn on it, and where a packet died marked. Pure.
 */
#ifndef NSTRACE_REPORT_DOT_H
#define NSTRACE_REPORT_DOT_H

#include <stdio.h>
#include "report/report.h"

struct dot_path {
	const struct nstrace_event *ev;	/* the events p's indices refer to */
	const struct packet *p;
	int n;				/* its number in the text output, 0 if none */
	const char *color;		/* Graphviz colour name */
};

void dot_write(FILE *f, const struct observed *o, const char *title, const struct dot_path *paths, int npaths);

#endif
