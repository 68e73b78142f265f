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

/* "100ms" -> 100, "2s" -> 2000, "1.5s" -> 1500, "7" -> 7 * bare_unit_ms; -1 if malformed. */
static long duration_ms(const char *s, long bare_unit_ms)
{
	static const struct { const char *suffix; long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	char *end;
	double v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0 || v > 1e12)
		return -1;
	if (!*end)
		return (long)(v * bare_unit_ms + 0.5);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].suffix))
			return (long)(v * units[i].ms + 0.5);
	return -1;
}

int parse_duration(const char *opt, const char *s, long bare_unit_ms, long min_ms, long max_ms, long *ms)
{
	long v = duration_ms(s, bare_unit_ms);

	if (v < min_ms || v > max_ms) {
		err_msg("invalid %s '%s': expected a duration from %ldms to %lds, like 100ms or 2s (a bare number is in %s)",
			opt, s, min_ms, max_ms / 1000, bare_unit_ms == 1 ? "ms" : "s");
		return -1;
	}
	*ms = v;
	return 0;
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
		if (parse_duration("--interval", arg, 1, 1, 10000, &v))
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

int parse_ns_number(const char *opt, const char *s, int max, int *k)
{
	const char *digits = !strncmp(s, "ns", 2) ? s + 2 : s;
	char *end;
	long v;

	errno = 0;
	v = *digits >= '0' && *digits <= '9' ? strtol(digits, &end, 10) : 0;
	if (!v || errno || *end || v < 1 || v > max) {
		err_msg("invalid %s '%s': expected a lab namespace, ns1 to ns%d (or just its number)", opt, s, max);
		return -1;
	}
	*k = (int)v;
	return 0;
}
