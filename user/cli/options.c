// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Option parsing and error helpers shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "observe/traffic.h"

void err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("nstrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int parse_int(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		err_msg("invalid %s '%s': expected a whole number from %ld to %ld", opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int require_root(const char *cmd)
{
	if (geteuid() == 0)
		return 0;
	err_msg("%s needs root: it creates namespaces and loads BPF programs (run it with sudo)", cmd);
	return EXIT_ENV;
}

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void install_stop_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A closed pipe (| head) must not kill us before the lab is removed. */
	signal(SIGPIPE, SIG_IGN);
}

int check_lab_name(const char *name)
{
	char msg[128];

	if (!lab_name_validate(name, msg, sizeof(msg)))
		return 0;
	err_msg("invalid --lab: %s", msg);
	return -1;
}

int parse_lab_option(int opt, const char *arg, struct lab_config *cfg)
{
	long n;

	switch (opt) {
	case OPT_LAB:
		if (check_lab_name(arg))
			return -1;
		snprintf(cfg->name, sizeof(cfg->name), "%s", arg);
		return 0;
	case OPT_NAMESPACES:
		if (parse_int("--namespaces", arg, 2, LAB_MAX_NAMESPACES, &n))
			return -1;
		cfg->namespaces = (int)n;
		return 0;
	case OPT_SUBNET:
		if (cidr_parse(arg, &cfg->subnet)) {
			err_msg("invalid --subnet '%s': expected an IPv4 network like 10.200.0.0/24", arg);
			return -1;
		}
		return 0;
	case OPT_BRIDGE:
		if (strlen(arg) >= IFNAMSIZ || strchr(arg, '/') || !arg[0]) {
			err_msg("invalid --bridge '%s': an interface name has 1 to %d characters and no '/'",
				arg, IFNAMSIZ - 1);
			return -1;
		}
		snprintf(cfg->bridge, sizeof(cfg->bridge), "%s", arg);
		return 0;
	case OPT_ISOLATED:
		cfg->isolated = 1;
		return 0;
	}
	return 1;
}

int parse_probe_option(int opt, const char *arg, struct probe_params *p)
{
	long v;

	switch (opt) {
	case 'c':
		if (parse_int("--count", arg, 1, PROBE_MAX_COUNT, &v))
			return -1;
		p->count = (int)v;
		return 0;
	case 'i':
		if (parse_int("--interval", arg, 1, 10000, &v))
			return -1;
		p->interval_ms = (int)v;
		return 0;
	case 's':
		if (parse_int("--size", arg, 0, PROBE_MAX_SIZE - 8, &v))
			return -1;
		p->size = (int)v;
		return 0;
	case OPT_DF:
		p->df = 1;
		return 0;
	}
	return 1;
}

