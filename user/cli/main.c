// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
/* nstrace: build container-style network labs and trace ARP/ICMP through them with eBPF. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <locale.h>
#include <bpf/libbpf.h>
#include "cli/cli.h"
#include "cli/version.h"
#include "report/text.h"

int verbose;
volatile sig_atomic_t stop_requested;
const char *prog = "nstrace";
FILE *raw_stdout;

static const char usage[] =
	"Usage: nstrace [--verbose] COMMAND [OPTIONS]\n"
	"       nstrace --version\n"
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
	"  report    show a trace saved with --record again, in any output format\n"
	"\n"
	"Options:\n"
	"  -v, --verbose      libbpf and netlink details on stderr\n"
	"  -h, --help         this help; 'nstrace COMMAND --help' for a command's\n"
	"      --version      nstrace's version, libbpf's, and the event ABI\n"
	"\n"
	"Colours only on a terminal (NO_COLOR or --no-color turn them off); arrows\n"
	"and units in ASCII when the locale is not UTF-8.\n"
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
	{ "report", cmd_report },
};

/*
 * stdout and stderr go through a filter: control bytes from names (an
 * interface may be called ESC]0;...) are written as \xNN, never sent to the
 * terminal; and where the locale cannot show UTF-8 (LC_ALL=C), nstrace's
 * glyphs are folded to ASCII (-> for an arrow, us for µs). JSON goes to
 * raw_stdout, escaped on its own.
 */
struct filter {
	int fd, ascii;
	char raw[TEXT_CARRY_MAX];	/* a control sequence cut between writes */
	size_t nraw;
	char glyph[4];			/* a UTF-8 glyph cut between writes (ascii) */
	size_t nglyph;
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t r = write(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One piece (at most 4096 bytes) through both stages. */
static int filter_piece(struct filter *f, const char *buf, size_t take)
{
	char in[4096 + TEXT_CARRY_MAX], safe[4 * sizeof(in) + 8], folded[2 * sizeof(safe)];
	size_t len = f->nraw + take, used, safelen, outlen;

	memcpy(in, f->raw, f->nraw);
	memcpy(in + f->nraw, buf, take);
	used = text_defang(in, len, safe + f->nglyph, sizeof(safe) - f->nglyph, &safelen);
	f->nraw = len - used < sizeof(f->raw) ? len - used : 0;
	memcpy(f->raw, in + used, f->nraw);
	if (!f->ascii)
		return write_all(f->fd, safe + f->nglyph, safelen);
	memcpy(safe, f->glyph, f->nglyph);
	safelen += f->nglyph;
	used = ascii_fold(safe, safelen, folded, sizeof(folded), &outlen);
	f->nglyph = safelen - used < sizeof(f->glyph) ? safelen - used : 0;
	memcpy(f->glyph, safe + used, f->nglyph);
	return write_all(f->fd, folded, outlen);
}

static ssize_t filter_write(void *cookie, const char *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t take = n - done < 4096 ? n - done : 4096;

		if (filter_piece(cookie, buf + done, take))
			return done ? (ssize_t)done : -1;
		done += take;
	}
	return (ssize_t)n;
}

static FILE *filtered(int fd, int buffering, int ascii)
{
	static struct filter filters[2];
	struct filter *f = &filters[fd == STDERR_FILENO];
	FILE *s;

	f->fd = fd;
	f->ascii = ascii;
	s = fopencookie(f, "w", (cookie_io_functions_t){ .write = filter_write });
	if (s)
		setvbuf(s, NULL, buffering, 0);
	return s;
}

static void filter_output(void)
{
	FILE *out, *err;
	int ascii;

	setlocale(LC_CTYPE, "");
	ascii = !locale_is_utf8();
	fflush(stdout);
	out = filtered(STDOUT_FILENO, _IOLBF, ascii);
	err = filtered(STDERR_FILENO, _IONBF, ascii);
	if (out)
		stdout = out;
	if (err)
		stderr = err;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	raw_stdout = stdout;
	filter_output();
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
		case 'V':
			printf("nstrace %s (libbpf %s, event ABI v2)\n", NSTRACE_VERSION, libbpf_version_string());
			return EXIT_PASS;
		default:
			fprintf(stderr, "see 'nstrace --help'\n");
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
