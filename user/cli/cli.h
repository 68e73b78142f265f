/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the subcommands: exit codes, errors, option parsing helpers. */
#ifndef NSTRACE_CLI_CLI_H
#define NSTRACE_CLI_CLI_H

#include <signal.h>
#include <stdio.h>
#include "lab/config.h"
#include "model/topo.h"
#include "model/flow.h"
#include "model/verdict.h"
#include "observe/observers.h"
#include "report/feed.h"

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
/* stdout before any ASCII folding: JSON stays UTF-8 whatever the locale. */
extern FILE *raw_stdout;

/* "nstrace: <what failed>: <why> (<hint>)" on stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 0 and *out, or -1 with an error printed naming opt and the value. */
int parse_int(const char *opt, const char *s, long min, long max, long *out);
/* "ns3" or "3" -> 3 (1..max); -1 with an error printed naming opt. */
int parse_ns_number(const char *opt, const char *s, int max, int *k);
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

/* Probe options shared by run and trace: like ping's -c, -i, -s, -M do. */
enum { OPT_DF = 1300 };
#define PROBE_OPTS_DEFAULT { .count = 3, .interval_ms = 100, .size = PROBE_DEFAULT_SIZE }
#define PROBE_LONG_OPTIONS \
	{ "count", required_argument, NULL, 'c' }, \
	{ "interval", required_argument, NULL, 'i' }, \
	{ "size", required_argument, NULL, 's' }, \
	{ "df", no_argument, NULL, OPT_DF }
#define PROBE_SHORT_OPTIONS "c:i:s:"
#define PROBE_OPTIONS_HELP \
	"  -c, --count N      echo requests to send, 1 to 1000 (default 3)\n" \
	"  -i, --interval T   between requests: 100ms, 2s, or a bare number of ms;\n" \
	"                     1ms to 10s (default 100ms)\n" \
	"  -s, --size BYTES   ICMP payload per request, 0 to 65507 (default 56, as ping)\n" \
	"      --df           don't fragment: a link with a smaller MTU refuses the probe\n"
/* -1 bad value (printed), 0 handled, 1 not a probe option. */
int parse_probe_option(int opt, const char *arg, struct probe_params *p);
/*
 * A duration: "250ms", "2s", "1.5s", "10m", "1h", or a bare number in
 * bare_unit_ms units (1 for ms, 1000 for s). 0 and *ms, or -1 printed.
 */
int parse_duration(const char *opt, const char *s, long bare_unit_ms, long min_ms, long max_ms, long *ms);

/* Output options shared by run and trace (and report, which has no --record). */
struct output_opts {
	int json, quiet, explain, no_color;
	const char *pcap, *dot, *svg, *record;
};
enum { OPT_JSON = 1100, OPT_PCAP, OPT_DOT, OPT_SVG, OPT_RECORD, OPT_EXPLAIN, OPT_NO_COLOR, OPT_SUMMARY };
#define OUTPUT_LONG_OPTIONS \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "pcap", required_argument, NULL, OPT_PCAP }, \
	{ "dot", required_argument, NULL, OPT_DOT }, \
	{ "svg", required_argument, NULL, OPT_SVG }, \
	{ "record", required_argument, NULL, OPT_RECORD }, \
	{ "explain", no_argument, NULL, OPT_EXPLAIN }, \
	{ "no-color", no_argument, NULL, OPT_NO_COLOR }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "summary", no_argument, NULL, OPT_SUMMARY }, \
	{ "verbose", no_argument, NULL, 'v' }
#define OUTPUT_OPTIONS_HELP \
	"      --json         JSON Lines on stdout instead of text (schema: doc/json.md)\n" \
	"      --pcap FILE    every frame at every hop as pcapng, for Wireshark/tshark\n" \
	"      --dot FILE     the topology and observed path as a Graphviz graph\n" \
	"      --svg FILE     the same, drawn by Graphviz's dot\n" \
	"      --record FILE  save the trace: 'nstrace report FILE' shows it again\n" \
	"      --explain      say what the events show (cables, floods, learning, ARP)\n" \
	"                     and, with a verdict, what was read on the way\n" \
	"  -q, --quiet        only the summary and the verdict (--summary: the same)\n" \
	"      --no-color     no colours (also: NO_COLOR set, or not a terminal)\n" \
	"  -v, --verbose      libbpf and netlink details on stderr\n"
/* -1 bad value (printed), 0 handled, 1 not an output option. */
int parse_output_option(int opt, const char *arg, struct output_opts *o);

/* The sinks behind a feed: files opened, Graphviz started; closed together. */
struct outputs {
	struct feed feed;
	FILE *pcap_file, *dot_file, *record_file;
	struct pcapng pcap;
	struct recorder rec;
	int dot_pid;			/* --svg: the dot process reading dot_file */
	const char *svg, *pcap_path, *record_path, *dot_path;
};
/*
 * Opens what o asks for; the feed is ready for the session. Returns 0, or
 * EXIT_USAGE/EXIT_ENV with the error printed (nothing is left open).
 */
int outputs_open(struct outputs *out, const struct output_opts *o, const char *command, int recordable);
/* Records the exit code, closes every file (waits for dot); returns exit_code, or EXIT_ENV if a file failed. */
int outputs_close(struct outputs *out, int exit_code);
/* Whether the locale shows UTF-8 (else cli folds glyphs to ASCII). */
int locale_is_utf8(void);

/* Observer options shared by run and trace. */
enum { OPT_ATTACH = 1200, OPT_STATS, OPT_BUFFER };
#define OBSERVE_LONG_OPTIONS \
	{ "attach", required_argument, NULL, OPT_ATTACH }, \
	{ "stats", no_argument, NULL, OPT_STATS }, \
	{ "buffer", required_argument, NULL, OPT_BUFFER }
/* -1 bad value (printed), 0 handled, 1 not an observer option. */
int parse_observe_option(int opt, const char *arg, struct observe_opts *o);
/* "observers: ..." and a note for each kind of evidence this kernel cannot give. */
void say_observers(struct feed *fd, const struct observers *o, const char *suffix);
/* Events the ring buffer could not hold, and what to do about it (nothing if none). */
void say_lost(struct feed *fd, const struct observers *o);
/* --stats figures, when asked for. */
void say_stats(struct feed *fd, const struct observers *o);

/*
 * Runs every step of a fix (or its revert) with execve inside the namespace
 * it names, found among nss by inode; never through a shell. 0, or the first
 * failing step's exit status (printed).
 */
int run_commands(const struct command *cmds, int n, const struct ns_handle *nss, int nns);
/*
 * --fix: says (on fd) the verdict's first fix that changes something, runs
 * it as said (run_commands), then with show_revert says its revert. 0 if applied.
 */
int apply_fix(struct feed *fd, const struct verdict *v, const struct ns_handle *nss, int nns, int show_revert);

int cmd_run(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_faults(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
