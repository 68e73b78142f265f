// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Observer options shared by run and trace, and what they print about the observers. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

int parse_observe_option(int opt, const char *arg, struct observe_opts *o)
{
	long v;

	switch (opt) {
	case OPT_BUFFER:
		if (parse_int("--buffer", arg, 4, 1048576, &v))
			return -1;
		o->buffer_kb = (unsigned int)v;
		return 0;
	case OPT_ATTACH:
		if (strcmp(arg, "tcx") && strcmp(arg, "clsact")) {
			err_msg("invalid --attach '%s': expected tcx or clsact", arg);
			return -1;
		}
		o->attach = !strcmp(arg, "clsact") ? OBSERVE_ATTACH_CLSACT : OBSERVE_ATTACH_TCX;
		return 0;
	case OPT_STATS:
		o->stats = 1;
		return 0;
	}
	return 1;
}

void say_observers(struct feed *fd, const struct observers *o, const char *suffix)
{
	char line[256];

	feed_say(fd, FEED_HEADER, "observers: %s%s\n", observers_describe(o, line, sizeof(line)), suffix);
	for (int i = 0; i < o->nnotes; i++)
		feed_say(fd, FEED_HEADER, "%s\n", o->notes[i]);
}

void say_lost(struct feed *fd, const struct observers *o)
{
	unsigned long long lost = o->lost + o->col.oom;
	unsigned int kb = o->opts.buffer_kb ? o->opts.buffer_kb : OBSERVE_BUFFER_KB;

	if (!lost)
		return;
	feed_say(fd, FEED_ALWAYS,
		 "lost: %llu event(s) did not fit in the ring buffer (%u KiB)%s: the hops, drops and verdicts above may miss them; "
		 "rerun with --buffer %u, or trace less (%s)\n", lost, kb, o->col.oom ? " or in memory" : "",
		 kb <= 262144 ? kb * 4 : 1048576,
		 o->opts.tc_dirs == TC_INGRESS || o->opts.nf_on_demand ? "--host, --icmp-id, --proto, --interface" :
		 "fewer probes, a longer --interval");
}

void say_stats(struct feed *fd, const struct observers *o)
{
	if (!o->opts.stats)
		return;
	if (!o->nstats) {
		feed_say(fd, FEED_ALWAYS, "stats: none (the kernel did not count the programs' runs)\n");
		return;
	}
	feed_say(fd, FEED_ALWAYS, "stats: BPF_ENABLE_STATS run_time_ns / run_cnt, each program's copies summed:\n");
	for (int i = 0; i < o->nstats; i++) {
		const struct prog_stat *s = &o->stats[i];

		feed_say(fd, FEED_ALWAYS, "  %-20s %3d cop%s %12llu runs %9.1f ns/run\n", s->name, s->copies,
			 s->copies == 1 ? "y  " : "ies", (unsigned long long)s->run_cnt,
			 s->run_cnt ? (double)s->run_ns / s->run_cnt : 0.0);
	}
}
