// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nstrace report: a trace saved with --record, shown again without root or a kernel. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "report/replay.h"

static const char report_usage[] =
	"Usage: nstrace report FILE [OPTIONS]\n"
	"\n"
	"Show a trace saved by 'run --record FILE' or 'trace --record FILE' again:\n"
	"the same text, byte for byte, or any other output (JSON, pcapng, diagram)\n"
	"made from the events and state it saved. Needs neither root nor a kernel.\n"
	"The text follows the recorded --quiet and --explain unless one is given here.\n"
	"\n"
	"Options:\n"
	OUTPUT_OPTIONS_HELP
	"  -h, --help         this help\n"
	"\n"
	"Exit codes: the recorded session's (0 every probe answered, 1 not), 2 when\n"
	"the file is not a readable record (the error names the byte), 3 when an\n"
	"output file cannot be written.\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace run --isolated --record run.nst\n"
	"  nstrace report run.nst\n"
	"  nstrace report run.nst --explain\n"
	"  nstrace report run.nst --json | jq -c 'select(.type == \"packet\") | .fate'\n"
	"  nstrace report run.nst --pcap run.pcapng --svg run.svg\n";

struct replay_ctx {
	struct feed *feed;
	int flags_given;	/* --quiet or --explain on report's command line */
	int exit_code;
	char command[16];
};

static void on_meta(void *ctx, const struct rec_meta *m)
{
	struct replay_ctx *c = ctx;

	snprintf(c->command, sizeof(c->command), "%s", m->command);
	c->feed->command = c->command;
	feed_start(c->feed, m->command, m->version, m->kernel);
	c->feed->clock_offset_ns = m->clock_offset_ns;
	if (!c->flags_given) {
		c->feed->tx.quiet = !!(m->flags & RECORD_QUIET);
		c->feed->tx.explain = !!(m->flags & RECORD_EXPLAIN);
	}
}

static void on_text(void *ctx, int level, const char *text)
{
	feed_say(((struct replay_ctx *)ctx)->feed, level, "%s", text);
}

static void on_topology(void *ctx, const struct topo *t, const struct ns_ref *nss, int nns, const struct netview *net)
{
	feed_topology(((struct replay_ctx *)ctx)->feed, t, nss, nns, net);
}

static void on_trace_begin(void *ctx, int passive, const struct namer *nm, const struct evidence_gaps *gaps)
{
	feed_trace_begin(((struct replay_ctx *)ctx)->feed, passive, nm, gaps);
}

static void on_events(void *ctx, const struct nstrace_event *ev, int n)
{
	feed_events(((struct replay_ctx *)ctx)->feed, ev, n);
}

static void on_tick(void *ctx, uint64_t now)
{
	feed_tick(((struct replay_ctx *)ctx)->feed, now);
}

static void on_summary(void *ctx, const struct probe_summary *sum, const struct flow *flows, int n)
{
	feed_summary(((struct replay_ctx *)ctx)->feed, sum, flows, n);
}

static void on_state(void *ctx, const struct state *st)
{
	feed_state(((struct replay_ctx *)ctx)->feed, st);
}

static void on_trace_end(void *ctx, uint64_t lost, int exit_code)
{
	struct replay_ctx *c = ctx;

	feed_trace_end(c->feed, lost, exit_code, NULL);
	c->exit_code = c->feed->exit_code;
}

static void on_exit_code(void *ctx, int code)
{
	((struct replay_ctx *)ctx)->exit_code = code;
}

static const struct replay_ops ops = {
	.meta = on_meta, .text = on_text, .topology = on_topology, .trace_begin = on_trace_begin,
	.events = on_events, .tick = on_tick, .summary = on_summary, .state = on_state,
	.trace_end = on_trace_end, .exit = on_exit_code,
};

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		OUTPUT_LONG_OPTIONS,
		{}
	};
	struct output_opts o = {};
	struct replay_ctx c = {};
	struct outputs out;
	char err[256];
	FILE *f;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(report_usage, stdout);
			return EXIT_PASS;
		}
		if (parse_output_option(opt, optarg, &o)) {
			fprintf(stderr, "see '%s report --help'\n", prog);
			return EXIT_USAGE;
		}
		c.flags_given |= opt == 'q' || opt == OPT_SUMMARY || opt == OPT_EXPLAIN;
	}
	if (optind + 1 != argc) {
		err_msg("report: give one record file (see '%s report --help')", prog);
		return EXIT_USAGE;
	}
	f = fopen(argv[optind], "rb");
	if (!f) {
		err_msg("report: cannot read '%s': %s", argv[optind], strerror(errno));
		return EXIT_USAGE;
	}
	if ((ret = outputs_open(&out, &o, "report", 0))) {
		fclose(f);
		return ret;
	}
	c.feed = &out.feed;
	c.exit_code = -1;
	ret = replay_file(f, &ops, &c, err, sizeof(err));
	fclose(f);
	if (ret) {
		fflush(stdout);
		err_msg("report: %s: %s", argv[optind], err);
		outputs_close(&out, EXIT_USAGE);
		return EXIT_USAGE;
	}
	if (c.exit_code < 0) {
		/* No trace ended and no exit recorded: nothing says the probes were answered. */
		err_msg("report: %s: the session ends before any trace did (it was stopped early)", argv[optind]);
		c.exit_code = EXIT_FAIL;
	}
	return outputs_close(&out, c.exit_code);
}
