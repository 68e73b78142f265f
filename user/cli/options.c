// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Option parsing and error helpers shared by the subcommands. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "lab/lock.h"
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
	/* strtol alone takes " 5" and "+5": a number here is digits, a '-' only where negatives are allowed. */
	int plain = isdigit((unsigned char)s[0]) || (min < 0 && s[0] == '-' && isdigit((unsigned char)s[1]));
	char *end;
	long v;

	errno = 0;
	v = plain ? strtol(s, &end, 10) : 0;
	if (!plain || errno || *end || v < min || v > max) {
		err_msg("invalid %s '%s': expected a whole number from %ld to %ld", opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int require_root(const char *cmd, const char *why)
{
	if (geteuid() == 0)
		return 0;
	err_msg("%s needs root: %s (run it with sudo)", cmd, why);
	return EXIT_ENV;
}

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void lock_waiting(int pid, const char *cmd)
{
	if (pid > 0)
		err_msg("waiting for the lab lock " LAB_LOCK_FILE ": pid %d (%s) holds it (Ctrl-C gives up)", pid,
			cmd[0] ? cmd : "?");
	else
		err_msg("waiting for the lab lock " LAB_LOCK_FILE ": another process holds it (Ctrl-C gives up)");
}

void install_stop_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	lab_lock_policy(&stop_requested, lock_waiting);
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
	char msg[256];
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
			err_msg("invalid --subnet '%s': expected an IPv4 network like 10.200.0.0/24 (no host bits set)", arg);
			return -1;
		}
		if (subnet_validate(&cfg->subnet, msg, sizeof(msg))) {
			err_msg("invalid --subnet: %s", msg);
			return -1;
		}
		return 0;
	case OPT_BRIDGE:
		if (ifname_validate(arg, 1, msg, sizeof(msg))) {
			err_msg("invalid --bridge: %s", msg);
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

const char *lab_option_name(int opt)
{
	switch (opt) {
	case OPT_LAB:
		return "--lab";
	case OPT_NAMESPACES:
		return "--namespaces";
	case OPT_SUBNET:
		return "--subnet";
	case OPT_BRIDGE:
		return "--bridge";
	case OPT_ISOLATED:
		return "--isolated";
	}
	return "?";
}

int parse_probe_option(int opt, const char *arg, struct probe_opts *p)
{
	long v;

	if (opt != 'c' && opt != 'i')
		return 1;
	if (parse_int(opt == 'c' ? "--count" : "--interval", arg, 1,
		      opt == 'c' ? PROBE_MAX_COUNT : 10000, &v))
		return -1;
	*(opt == 'c' ? &p->count : &p->interval_ms) = (int)v;
	return 0;
}

