// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nstrace: build container-style network labs and trace ARP/ICMP through them with eBPF. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cli/cli.h"

int verbose;
volatile sig_atomic_t stop_requested;
const char *prog = "nstrace";

static const char usage[] =
	"Usage: nstrace [--verbose] COMMAND [OPTIONS]\n"
	"\n"
	"Build Linux container-style network labs (namespaces, veth pairs, a bridge)\n"
	"and show with eBPF evidence how ARP and ICMP cross them, and where they die.\n"
	"\n"
	"Commands:\n"
	"  run       build a lab (or use --lab's), probe it, print the hop-by-hop path\n"
	"  up        build a lab and leave it\n"
	"  down      remove a lab (--lab NAME) or every lab (--all)\n"
	"  status    list labs and what changed in them since 'up'\n"
	"  exec      run a command inside a lab namespace\n"
	"  faults    list the faults 'run --break' can inject\n"
	"  trace     trace a topology nstrace did not build (docker0, a bridge by hand)\n"
	"\n"
	"Options:\n"
	"  -v, --verbose      libbpf and netlink details on stderr\n"
	"  -h, --help         this help; 'nstrace COMMAND --help' for a command's\n"
	"\n"
	"Exit codes: 0 every probe answered (or the command succeeded), 1 a probe\n"
	"was not answered, 2 usage error, 3 environment error (not root, no BPF,\n"
	"a name or subnet already taken).\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace run                     # the tutorial's topology, traced\n"
	"  sudo nstrace run --isolated --count 5\n"
	"  sudo nstrace up --lab demo --namespaces 4 --isolated\n"
	"  sudo nstrace exec --lab demo ns1 -- ping -c1 10.200.0.2\n"
	"  sudo nstrace down --lab demo\n"
	"  sudo nstrace trace --from c1 --to 172.18.0.3    # a topology built by others\n";

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (level == LIBBPF_INFO && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run },
	{ "up", cmd_up },
	{ "down", cmd_down },
	{ "status", cmd_status },
	{ "exec", cmd_exec },
	{ "faults", cmd_faults },
	{ "trace", cmd_trace },
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Not on PATH yet (no 'make install'): hints name the binary as it was run. */
	if (argv[0] && strchr(argv[0], '/'))
		prog = argv[0];
	/* '+': stop at the command; its options are its own. */
	while ((opt = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verbose = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_PASS;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	libbpf_set_print(libbpf_print);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name))
			continue;
		argc -= optind;
		argv += optind;
		optind = 0;	/* reset getopt for the command's own parsing */
		return commands[i].fn(argc, argv);
	}
	err_msg("unknown command '%s' (see 'nstrace --help')", argv[optind]);
	return EXIT_USAGE;
}
