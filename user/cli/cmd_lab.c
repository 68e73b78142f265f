// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nstrace up | down | status | exec: labs that outlive one command. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "kernel/netns.h"
#include "lab/check.h"
#include "lab/faults.h"
#include "lab/lab.h"
#include "lab/owner.h"
#include "model/packet.h"

#define MAX_LABS 256

static const char up_usage[] =
	"Usage: nstrace up [OPTIONS]\n"
	"\n"
	"Build a lab and leave it: N namespaces <lab>-ns1..N, each with veth-nsK\n"
	"joined to veth-brK on the bridge. Prints what was made and how to enter it.\n"
	"\n"
	"Options:\n"
	LAB_OPTIONS_HELP
	"  -h, --help         this help\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace up --isolated\n"
	"  sudo nstrace up --lab big --namespaces 50 --subnet 10.201.0.0/24 --isolated\n";

static const char status_usage[] =
	"Usage: nstrace status [--lab NAME]\n"
	"\n"
	"List the labs that exist, their objects, and anything missing or changed\n"
	"since 'up' (a detached port, a removed address, a link down), who owns a\n"
	"lab a 'run' built, and labs whose owner died (ORPHANED).\n"
	"Exit code 0 when every lab is intact, 1 when something changed or a lab\n"
	"is orphaned or only remains of a killed build.\n";

static const char exec_usage[] =
	"Usage: nstrace exec [--lab NAME] NS -- CMD [ARGS...]\n"
	"\n"
	"Run CMD inside a lab namespace: NS is nsK (or just K), host (with --isolated\n"
	"labs), or the full namespace name. Exits with CMD's exit code.\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace exec ns1 -- ping -c1 10.200.0.2\n"
	"  sudo nstrace exec --lab demo ns2 -- ip addr\n";

/* --help on stdout; a bad option gets one line pointing at it, not the whole help. */
static int help_or_usage(int opt, const char *usage)
{
	char cmd[16];

	if (opt == 'h') {
		fputs(usage, stdout);
		return -1;
	}
	sscanf(usage, "Usage: nstrace %15s", cmd);
	fprintf(stderr, "see '%s %s --help'\n", prog, cmd);
	return EXIT_USAGE;
}

static void print_lab(const struct lab *lab)
{
	char a[16], m[18], sub[32];

	printf("lab %s: %d namespaces, subnet %s, bridge %s (%s) in %s\n", lab->cfg.name,
	       lab->cfg.namespaces, cidr_str(&lab->cfg.subnet, sub, sizeof(sub)), lab->cfg.bridge,
	       ip_str(lab->bridge_addr.s_addr, a, sizeof(a)),
	       lab->host_ns_name[0] ? lab->host_ns_name : "the root namespace");
	for (int k = 0; k < lab->cfg.namespaces; k++) {
		const struct lab_endpoint *ep = &lab->ep[k];

		printf("  %-16s %-10s %-15s %s  ↔ %s\n", ep->ns_name, ep->ifname,
		       ip_str(ep->addr.s_addr, a, sizeof(a)), mac_str(ep->mac, m, sizeof(m)), ep->port);
	}
}

/* Who the lab belongs to, when it is someone's: a running 'run', or one that died (1). */
static int print_owner(const struct lab *lab)
{
	char cmd[160];

	if (!lab->owner.pid)
		return 0;
	lab_owner_cmdline(&lab->owner, cmd, sizeof(cmd));
	if (lab_owner_alive(&lab->owner)) {
		printf("  owned by pid %d (%s), running: 'run' removes its lab when it ends\n", lab->owner.pid,
		       cmd[0] ? cmd : "?");
		return 0;
	}
	printf("  ORPHANED: its owner, pid %d, died without removing it: '%s down --orphans' (or --lab %s) removes it\n",
	       lab->owner.pid, prog, lab->cfg.name);
	return 1;
}

int cmd_up(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		LAB_LONG_OPTIONS,
		{}
	};
	struct lab_config cfg;
	struct lab lab;
	char msg[512];
	int opt, ret;

	lab_config_default(&cfg);
	while ((opt = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		int r = opt == 'h' ? 1 : opt == 'v' ? (verbose = 1, 0) : parse_lab_option(opt, optarg, &cfg);

		if (r < 0)
			return EXIT_USAGE;
		if (r > 0)
			return (ret = help_or_usage(opt, up_usage)) < 0 ? EXIT_PASS : ret;
	}
	if (optind < argc) {
		err_msg("up: unexpected argument '%s' (see '%s up --help')", argv[optind], prog);
		return EXIT_USAGE;
	}
	if (lab_config_validate(&cfg, msg, sizeof(msg))) {
		err_msg("up: %s", msg);
		return EXIT_USAGE;
	}
	ret = require_root("up", "it creates namespaces and links");
	if (ret)
		return ret;
	/* Ctrl-C mid-build finishes the build, then undoes it: never half a lab. */
	install_stop_handlers();
	ret = lab_build(&lab, &cfg, 0, msg, sizeof(msg));
	if (ret == -EINTR) {
		err_msg("up: %s", msg);
		return EXIT_FAIL;
	}
	if (ret) {
		if (ret == -EALREADY)
			err_msg("up: %s (use --lab NAME, or '%s down --lab %s')", msg, prog, cfg.name);
		else
			err_msg("up: %s", msg);
		/* A name already taken, by a lab or by anything else: the environment's (README, exit codes). */
		return EXIT_ENV;
	}
	if (stop_requested) {
		err_msg("up: interrupted, removing lab '%s'", cfg.name);
		lab_teardown(&lab);
		return EXIT_FAIL;
	}
	print_lab(&lab);
	printf("enter it: sudo %s exec --lab %s ns1 -- bash   (or: sudo ip netns exec %s bash)\n",
	       prog, cfg.name, lab.ep[0].ns_name);
	printf("trace it: sudo %s run --lab %s    remove it: sudo %s down --lab %s\n",
	       prog, cfg.name, prog, cfg.name);
	lab_release(&lab);
	return EXIT_PASS;
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lab", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{}
	};
	char names[MAX_LABS][LAB_NAME_MAX + 1];
	const char *only = NULL;
	int opt, n, ret = EXIT_PASS;

	while ((opt = getopt_long(argc, argv, "l:hv", opts, NULL)) != -1) {
		if (opt == 'l' && check_lab_name(optarg))
			return EXIT_USAGE;
		if (opt == 'l')
			only = optarg;
		else if (opt == 'v')
			verbose = 1;
		else
			return (ret = help_or_usage(opt, status_usage)) < 0 ? EXIT_PASS : ret;
	}
	if (optind < argc) {
		err_msg("status: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	ret = require_root("status", "it reads the state inside every lab namespace");
	if (ret)
		return ret;
	n = lab_list(names, MAX_LABS);
	if (only && !lab_exists(only)) {
		err_msg("status: no lab named '%s'", only);
		return EXIT_USAGE;
	}
	if (!n)
		printf("no labs\n");
	for (int i = 0; i < n; i++) {
		struct lab lab;
		char msg[512];
		int problems;

		if (only && strcmp(only, names[i]))
			continue;
		if (lab_load(&lab, names[i], msg, sizeof(msg))) {
			printf("lab %s: remains only (%s): '%s down --lab %s' removes them\n",
			       names[i], msg, prog, names[i]);
			ret = EXIT_FAIL;
			continue;
		}
		print_lab(&lab);
		problems = lab_check(&lab, stdout) + print_owner(&lab);
		if (problems)
			ret = EXIT_FAIL;
		else
			printf("  intact\n");
		lab_release(&lab);
	}
	return ret;
}

/* "ns2", "host", or a full namespace name of the lab. */
static int resolve_ns(const struct lab *lab, const char *ns, char *out, int size)
{
	char nsk[16];
	int k;

	/* One spelling everywhere: ns2, or its number. */
	snprintf(nsk, sizeof(nsk), "%s%.8s", ns[0] >= '1' && ns[0] <= '9' ? "ns" : "", ns);
	k = lab_endpoint_number(lab, nsk);

	if (!strcmp(ns, "host") && lab->host_ns_name[0]) {
		snprintf(out, size, "%s", lab->host_ns_name);
		return 0;
	}
	if (k) {
		snprintf(out, size, "%s", lab->ep[k - 1].ns_name);
		return 0;
	}
	for (int k2 = 0; k2 < lab->cfg.namespaces; k2++)
		if (!strcmp(ns, lab->ep[k2].ns_name)) {
			snprintf(out, size, "%s", ns);
			return 0;
		}
	if (lab->host_ns_name[0] && !strcmp(ns, lab->host_ns_name)) {
		snprintf(out, size, "%s", ns);
		return 0;
	}
	return -ENOENT;
}

int cmd_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lab", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{}
	};
	const char *name = LAB_DEFAULT_NAME;
	char ns_name[LAB_NS_NAME_MAX], msg[512];
	struct lab lab;
	int opt, ret, fd;

	/* '+': options after NS belong to CMD. */
	while ((opt = getopt_long(argc, argv, "+l:hv", opts, NULL)) != -1) {
		if (opt == 'l' && check_lab_name(optarg))
			return EXIT_USAGE;
		if (opt == 'l')
			name = optarg;
		else if (opt == 'v')
			verbose = 1;
		else
			return (ret = help_or_usage(opt, exec_usage)) < 0 ? EXIT_PASS : ret;
	}
	if (optind >= argc) {
		err_msg("exec: missing NS and CMD (see '%s exec --help')", prog);
		return EXIT_USAGE;
	}
	if (optind + 1 < argc && !strcmp(argv[optind + 1], "--"))
		argv[optind + 1] = NULL;
	else {
		err_msg("exec: expected '--' after NS, then the command (%s exec ns1 -- ip addr)", prog);
		return EXIT_USAGE;
	}
	if (optind + 2 >= argc) {
		err_msg("exec: missing the command after '--'");
		return EXIT_USAGE;
	}
	ret = require_root("exec", "it enters a lab namespace");
	if (ret)
		return ret;
	if (!lab_exists(name) || lab_load(&lab, name, msg, sizeof(msg))) {
		err_msg("exec: no lab named '%s' (see '%s status')", name, prog);
		return EXIT_USAGE;
	}
	ret = resolve_ns(&lab, argv[optind], ns_name, sizeof(ns_name));
	lab_release(&lab);
	if (ret) {
		err_msg("exec: lab '%s' has no namespace '%s' (use ns1..ns%d%s)", name, argv[optind],
			lab.cfg.namespaces, lab.host_ns_name[0] ? " or host" : "");
		return EXIT_USAGE;
	}
	fd = netns_open(ns_name);
	if (fd < 0) {
		err_msg("exec: cannot open namespace '%s': %s", ns_name, strerror(-fd));
		return EXIT_ENV;
	}
	ret = netns_exec(fd, &argv[optind + 2]);
	err_msg("exec: cannot run '%s' in namespace '%s': %s", argv[optind + 2], ns_name, strerror(-ret));
	return ret == -ENOENT ? 127 : 126;
}

int cmd_faults(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--verbose"))) {
		verbose = 1;
		argc--, argv++;
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: nstrace faults\n\nList the faults 'nstrace run --break FAULT' injects into an isolated lab.\n");
		return EXIT_PASS;
	}
	if (argc > 1) {
		err_msg("faults: unexpected argument '%s'", argv[1]);
		return EXIT_USAGE;
	}
	faults_print(stdout);
	return EXIT_PASS;
}
