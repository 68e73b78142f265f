/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the subcommands: exit codes, errors, option parsing helpers. */
#ifndef NSTRACE_CLI_CLI_H
#define NSTRACE_CLI_CLI_H

#include <signal.h>
#include "lab/config.h"
#include "model/topo.h"
#include "model/flow.h"
#include "model/verdict.h"
#include "observe/observers.h"

enum nstrace_exit {
	EXIT_PASS = 0,		/* every probe answered / command done */
	EXIT_FAIL = 1,		/* connectivity does not hold */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_ENV = 3,		/* not root, no BPF, a name or subnet clash */
};

extern int verbose;
extern volatile sig_atomic_t stop_requested;
/* How the user started us ("nstrace", or "build/nstrace" before 'make install'): for hints. */
extern const char *prog;

/* "nstrace: <what failed>: <why> (<hint>)" on stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 0 and *out, or -1 with an error printed naming opt and the value. */
int parse_int(const char *opt, const char *s, long min, long max, long *out);
/* EXIT_ENV with a message unless running as root. */
int require_root(const char *cmd);
/* SIGINT/SIGTERM set stop_requested instead of killing us mid-change. */
void install_stop_handlers(void);

/* -1 with an error printed unless name is a valid lab name. */
int check_lab_name(const char *name);

/* Topology options shared by up and run; returns 0, or 1 if opt is not one. */
enum { OPT_LAB = 1000, OPT_NAMESPACES, OPT_SUBNET, OPT_BRIDGE, OPT_ISOLATED };
#define LAB_LONG_OPTIONS \
	{ "lab", required_argument, NULL, OPT_LAB }, \
	{ "namespaces", required_argument, NULL, OPT_NAMESPACES }, \
	{ "subnet", required_argument, NULL, OPT_SUBNET }, \
	{ "bridge", required_argument, NULL, OPT_BRIDGE }, \
	{ "isolated", no_argument, NULL, OPT_ISOLATED }
/* -1 bad value (printed), 0 handled, 1 not a topology option. */
int parse_lab_option(int opt, const char *arg, struct lab_config *cfg);
#define LAB_OPTIONS_HELP \
	"  --lab NAME         prefix of every object (a-z, 0-9, '-'; default nstrace)\n" \
	"  --namespaces N     endpoint namespaces, 2 to 250 (default 2)\n" \
	"  --subnet CIDR      lab subnet (default 10.200.0.0/24): nsK takes the K-th\n" \
	"                     host address, the bridge the last one\n" \
	"  --bridge NAME      bridge name (default br0)\n" \
	"  --isolated         put the bridge side in a namespace of its own, so the\n" \
	"                     real host is not changed\n"

/* Probe options shared by run and trace: like ping's -c, -i, -s, -M do. */
enum { OPT_DF = 1100 };
#define PROBE_OPTS_DEFAULT { .count = 3, .interval_ms = 100, .size = PROBE_DEFAULT_SIZE }
#define PROBE_LONG_OPTIONS \
	{ "count", required_argument, NULL, 'c' }, \
	{ "interval", required_argument, NULL, 'i' }, \
	{ "size", required_argument, NULL, 's' }, \
	{ "df", no_argument, NULL, OPT_DF }
#define PROBE_SHORT_OPTIONS "c:i:s:"
#define PROBE_OPTIONS_HELP \
	"  -c, --count N      echo requests to send, 1 to 1000 (default 3)\n" \
	"  -i, --interval MS  between requests, 1 to 10000 ms (default 100)\n" \
	"  -s, --size BYTES   ICMP payload per request, 0 to 65507 (default 56, as ping)\n" \
	"      --df           don't fragment: a link with a smaller MTU refuses the probe\n"
/* -1 bad value (printed), 0 handled, 1 not a probe option. */
int parse_probe_option(int opt, const char *arg, struct probe_params *p);

/* Observer options shared by run and trace. */
enum { OPT_ATTACH = 1200, OPT_STATS, OPT_BUFFER };
#define OBSERVE_LONG_OPTIONS \
	{ "attach", required_argument, NULL, OPT_ATTACH }, \
	{ "stats", no_argument, NULL, OPT_STATS }, \
	{ "buffer", required_argument, NULL, OPT_BUFFER }
/* -1 bad value (printed), 0 handled, 1 not an observer option. */
int parse_observe_option(int opt, const char *arg, struct observe_opts *o);
/* "observers: ..." and a note for each kind of evidence this kernel cannot give. */
void print_observers(const struct observers *o, const char *suffix);
/* Events the ring buffer could not hold, and what to do about it (nothing if none). */
void print_lost(const struct observers *o);
/* --stats figures, when asked for. */
void print_stats(const struct observers *o);

/*
 * Runs every step of a fix (or its revert) with execve inside the namespace
 * it names, found among nss by inode; never through a shell. 0, or the first
 * failing step's exit status (printed).
 */
int run_commands(const struct command *cmds, int n, const struct ns_handle *nss, int nns);

int cmd_run(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_faults(int argc, char **argv);
int cmd_trace(int argc, char **argv);

#endif
