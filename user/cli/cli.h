/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the subcommands: exit codes, errors, option parsing helpers. */
#ifndef NSTRACE_CLI_CLI_H
#define NSTRACE_CLI_CLI_H

#include <signal.h>
#include "lab/config.h"
#include "model/topo.h"
#include "model/verdict.h"

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
/* EXIT_ENV with a message saying why cmd needs root, unless running as root. */
int require_root(const char *cmd, const char *why);
#define ROOT_FOR_LABS "it creates namespaces and loads BPF programs"
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
/* "--subnet" for OPT_SUBNET, and so on. */
const char *lab_option_name(int opt);
#define LAB_OPTIONS_HELP \
	"  --lab NAME         prefix of every object (a-z, 0-9, '-'; default nstrace)\n" \
	"  --namespaces N     endpoint namespaces, 2 to 250 (default 2)\n" \
	"  --subnet CIDR      lab subnet (default 10.200.0.0/24): nsK takes the K-th\n" \
	"                     host address, the bridge the last one\n" \
	"  --bridge NAME      bridge name (default br0)\n" \
	"  --isolated         put the bridge side in a namespace of its own, so the\n" \
	"                     real host is not changed\n"

/* Probe options shared by run and trace. */
struct probe_opts {
	int count, interval_ms;
};
#define PROBE_OPTS_DEFAULT { .count = 3, .interval_ms = 100 }
#define PROBE_OPTIONS_HELP \
	"  -c, --count N      echo requests to send, 1 to 1000 (default 3)\n" \
	"  -i, --interval MS  between requests, 1 to 10000 ms (default 100)\n"
/* -1 bad value (printed), 0 handled, 1 not a probe option ('c' and 'i'). */
int parse_probe_option(int opt, const char *arg, struct probe_opts *p);

/*
 * Runs every step of a fix (or its revert) with execve inside the namespace
 * it names, found among nss by inode; never through a shell. 0, or the first
 * failing step's exit status (printed).
 */
int run_commands(const struct command *cmds, int n, const struct ns_handle *nss, int nns);
/*
 * --fix: prints the verdict's first fix that changes something, runs it as
 * printed (run_commands), then with show_revert prints its revert. 0 if applied.
 */
int apply_fix(const struct verdict *v, const struct ns_handle *nss, int nns, int show_revert);

int cmd_run(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_faults(int argc, char **argv);
int cmd_trace(int argc, char **argv);

#endif
