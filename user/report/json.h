/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * JSON Lines: one object per line, each with "type" and the schema version
 * "v". The schema is doc/json.md; a field is added in a compatible way or the
 * version changes. Pure: writes to the FILE* it is given.
 */
#ifndef NSTRACE_REPORT_JSON_H
#define NSTRACE_REPORT_JSON_H

#include <stdio.h>
#include "analysis/diagnose.h"
#include "model/state.h"
#include "model/verdict.h"
#include "report/report.h"

#define JSON_SCHEMA_VERSION 1

/* s as a JSON string: escaped, and invalid UTF-8 replaced by U+FFFD. */
void json_string(FILE *f, const char *s);

/* The first line: which command, which nstrace, on which kernel. */
void json_start(FILE *f, const char *command, const char *version, const char *kernel);
void json_message(FILE *f, const char *text);
void json_topology(FILE *f, const struct topo *t, const struct ns_ref *nss, int nns,
		   const struct netview *net);
/* e with its packet number (0: none) and its id in this trace. */
void json_event(FILE *f, const struct observed *o, const struct nstrace_event *e, int packet, long id);
/* Packet n, its hops and fate; first_id: the id given to its first event. */
void json_packet(FILE *f, const struct observed *o, const struct packet *p, int n, long first_id);
void json_note(FILE *f, const char *text);

/* A verdict, with the state facts it was judged on (st may be NULL). */
void json_verdict(FILE *f, const struct observed *o, const struct flow *fl, const struct verdict *v,
		  const struct state *st);

/* Passive mode's tallies, for the summary. */
struct flow_tally {
	int flows;			/* (source, destination, id) seen */
	long requests, answered;	/* echo requests seen, and answered */
	long in_flight;			/* too recent at the end to call unanswered */
};
struct drop_tally {
	const char *reason;
	long count;
	int benign;
};
struct json_summary {
	const char *mode;			/* "probe" or "passive" */
	const struct probe_summary *sum;	/* probe mode */
	const struct flow_tally *flows;		/* passive mode */
	const struct drop_tally *drops;
	int ndrops;
	long events, packets;
	uint64_t lost;
	int verdicts, exit_code;
};
void json_summary(FILE *f, const struct json_summary *s);

#endif
