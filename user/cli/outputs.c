// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where run's and trace's outputs go: the terminal, --json, --pcap, --dot/--svg, --record. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "cli/cli.h"
#include "cli/version.h"

int parse_output_option(int opt, const char *arg, struct output_opts *o)
{
	switch (opt) {
	case OPT_JSON: o->json = 1; return 0;
	case OPT_PCAP: o->pcap = arg; return 0;
	case OPT_DOT: o->dot = arg; return 0;
	case OPT_SVG: o->svg = arg; return 0;
	case OPT_RECORD: o->record = arg; return 0;
	case OPT_EXPLAIN: o->explain = 1; return 0;
	case OPT_NO_COLOR: o->no_color = 1; return 0;
	case 'q':
	case OPT_SUMMARY: o->quiet = 1; return 0;
	case 'v': verbose = 1; return 0;
	}
	return 1;
}

int locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

static int want_color(const struct output_opts *o)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	return !o->no_color && !(nc && nc[0]) && isatty(STDOUT_FILENO) && !(term && !strcmp(term, "dumb"));
}

/* Graphviz's dot on PATH, as execvp would find it. */
static int have_dot(void)
{
	const char *path = getenv("PATH");
	char dir[512], file[600];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
		snprintf(file, sizeof(file), "%s/dot", dir[0] ? dir : ".");
		if (!access(file, X_OK))
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* dot -Tsvg -o FILE, reading the graph from the returned FILE*. */
static FILE *start_dot(const char *svg, int *pid)
{
	int fds[2];
	FILE *f;

	if (pipe2(fds, O_CLOEXEC))
		return NULL;
	*pid = fork();
	if (*pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (*pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		execlp("dot", "dot", "-Tsvg", "-o", svg, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	f = fdopen(fds[1], "w");
	if (!f)
		close(fds[1]);
	return f;
}

static FILE *open_out(const char *opt, const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		err_msg("cannot write %s '%s': %s", opt, path, strerror(errno));
	return f;
}

static int start_record(struct outputs *out, const struct output_opts *o, const char *command)
{
	struct rec_meta m = { .flags = (o->quiet ? RECORD_QUIET : 0) | (o->explain ? RECORD_EXPLAIN : 0) };
	struct timespec mono, real;
	struct utsname u;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	m.clock_offset_ns = ((int64_t)real.tv_sec - mono.tv_sec) * 1000000000ll + (real.tv_nsec - mono.tv_nsec);
	snprintf(m.command, sizeof(m.command), "%s", command);
	snprintf(m.version, sizeof(m.version), "%s", NSTRACE_VERSION);
	if (!uname(&u))
		snprintf(m.kernel, sizeof(m.kernel), "%.20s %.70s", u.sysname, u.release);
	out->feed.clock_offset_ns = m.clock_offset_ns;
	if (strcmp(command, "report"))
		feed_start(&out->feed, command, m.version, m.kernel);
	if (!out->record_file)
		return 0;
	if (rec_start(&out->rec, out->record_file, &m)) {
		err_msg("cannot write --record '%s': %s", o->record, strerror(EIO));
		return -1;
	}
	out->feed.rec = &out->rec;
	return 0;
}

static int start_pcap(struct outputs *out, const char *pcap_path)
{
	struct utsname u;
	char os[160] = "Linux";

	if (!uname(&u))
		snprintf(os, sizeof(os), "%.20s %.70s %.30s", u.sysname, u.release, u.machine);
	if (pcapng_start(&out->pcap, out->pcap_file, os, "nstrace " NSTRACE_VERSION)) {
		err_msg("cannot write --pcap '%s': %s", pcap_path, strerror(EIO));
		return -1;
	}
	out->feed.pcap = &out->pcap;
	return 0;
}

int outputs_open(struct outputs *out, const struct output_opts *o, const char *command, int recordable)
{
	struct feed *f = &out->feed;

	memset(out, 0, sizeof(*out));
	feed_init(f);
	f->command = command;
	f->tx.f = o->json ? NULL : stdout;
	f->tx.color = want_color(o);
	f->tx.ascii = !locale_is_utf8();
	f->tx.quiet = o->quiet;
	f->tx.explain = o->explain;
	f->json = o->json ? raw_stdout : NULL;
	out->svg = o->svg;
	out->pcap_path = o->pcap;
	out->record_path = o->record;
	out->dot_path = o->dot;
	if (o->record && !recordable) {
		err_msg("%s: --record saves a live trace; report already reads one", command);
		return EXIT_USAGE;
	}
	if (o->svg && o->dot) {
		err_msg("%s: give --dot FILE or --svg FILE, not both", command);
		return EXIT_USAGE;
	}
	if (o->svg && !have_dot()) {
		err_msg("%s: --svg needs Graphviz's dot, not found on PATH (install graphviz, or write --dot FILE and render it elsewhere)",
			command);
		return EXIT_ENV;
	}
	if ((o->pcap && !(out->pcap_file = open_out("--pcap", o->pcap))) ||
	    (o->dot && !(out->dot_file = open_out("--dot", o->dot))) ||
	    (o->record && !(out->record_file = open_out("--record", o->record))) ||
	    start_record(out, o, command) || (out->pcap_file && start_pcap(out, o->pcap))) {
		outputs_close(out, EXIT_ENV);
		return EXIT_ENV;
	}
	if (o->svg && !(out->dot_file = start_dot(o->svg, &out->dot_pid))) {
		err_msg("%s: cannot start dot for --svg: %s", command, strerror(errno));
		outputs_close(out, EXIT_ENV);
		return EXIT_ENV;
	}
	f->dot = out->dot_file;
	return 0;
}

static int close_file(FILE **f, const char *opt, const char *path)
{
	int bad = *f && (ferror(*f) | fclose(*f));

	if (bad)
		err_msg("writing %s '%s' failed: %s", opt, path ? path : "", strerror(errno ? errno : EIO));
	*f = NULL;
	return bad;
}

int outputs_close(struct outputs *out, int exit_code)
{
	int bad = 0, status;

	feed_exit(&out->feed, exit_code);
	if (out->feed.rec && rec_finish(&out->rec))
		bad = 1, err_msg("writing --record '%s' failed", out->record_path);
	if (out->feed.pcap && pcapng_finish(&out->pcap))
		bad = 1, err_msg("writing --pcap '%s' failed", out->pcap_path);
	bad |= close_file(&out->record_file, "--record", out->record_path);
	bad |= close_file(&out->pcap_file, "--pcap", out->pcap_path);
	bad |= close_file(&out->dot_file, out->svg ? "--svg (to dot)" : "--dot", out->svg ? out->svg : out->dot_path);
	if (out->dot_pid > 0) {
		if (waitpid(out->dot_pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			err_msg("dot could not draw --svg '%s' (exit %d)", out->svg,
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			bad = 1;
		}
		out->dot_pid = 0;
	}
	feed_free(&out->feed);
	fflush(stdout);
	return bad && exit_code == EXIT_PASS ? EXIT_ENV : exit_code;
}
