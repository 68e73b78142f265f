// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nstrace down: remove one lab, the orphans, or (asked twice) every lab. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cli/cli.h"
#include "lab/lab.h"
#include "lab/owner.h"

#define MAX_LABS 256

static const char down_usage[] =
	"Usage: nstrace down [--lab NAME | --orphans | --all] [--dry-run] [--yes]\n"
	"\n"
	"Remove a lab (default: the lab named nstrace), including what a killed\n"
	"build of it left. Only objects carrying nstrace's mark are touched (and,\n"
	"from a build killed before its marks were on, links with its build tag and\n"
	"empty files under its namespace names). Prints what it removed.\n"
	"\n"
	"Options:\n"
	"  --lab NAME         the lab to remove\n"
	"  --orphans          every lab whose owner (the 'nstrace run' that built it) died\n"
	"  --all              every lab on this machine, other users' too: asks first on\n"
	"                     a terminal, and is refused without --yes elsewhere\n"
	"  -n, --dry-run      say what would be removed; remove nothing\n"
	"  -y, --yes          do not ask (--all from a script)\n"
	"  -h, --help         this help\n"
	"\n"
	"A lab that a running 'nstrace run' owns is left to it: it removes the lab\n"
	"when it ends. Exit codes: 0 done, 1 not confirmed, 2 usage error or no such\n"
	"lab, 3 something could not be removed.\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace down --lab demo\n"
	"  sudo nstrace down --orphans --dry-run\n"
	"  sudo nstrace down --all            # asks: remove these N labs? [y/N]\n";

struct down_opts {
	const char *name;
	int all, orphans, dry, yes;
};

/* What one lab's removal touched, kind by kind, for one line of output. */
struct removed {
	char *text[3];		/* namespaces, links, empty files */
	size_t len[3];
};

static const char *const kinds[3] = { "namespace", "link", "file" };
static const char *const headings[3] = { "namespaces", "links", "empty files" };

static void seen(const char *kind, const char *name, void *arg)
{
	struct removed *r = arg;

	for (int i = 0; i < 3; i++) {
		size_t add = strlen(name) + 2;
		char *p;

		if (strcmp(kind, kinds[i]))
			continue;
		p = realloc(r->text[i], r->len[i] + add);
		if (!p)
			return;
		r->text[i] = p;
		r->len[i] += snprintf(p + r->len[i], add, "%s%s", r->len[i] ? " " : "", name);
	}
}

static void print_removed(const char *lab, struct removed *r, int dry)
{
	const char *sep = ": ";

	printf("%s lab %s", dry ? "would remove" : "removed", lab);
	for (int i = 0; i < 3; i++) {
		if (!r->len[i])
			continue;
		printf("%s%s %s", sep, headings[i], r->text[i]);
		sep = "; ";
		free(r->text[i]);
	}
	printf("\n");
	memset(r, 0, sizeof(*r));
}

/* The lab's owner if it is alive and not us (it removes the lab itself), else pid 0. */
static struct lab_owner live_owner(const char *name)
{
	struct lab_owner none = {};
	struct lab lab;
	char msg[256];

	if (lab_load(&lab, name, msg, sizeof(msg)))
		return none;
	none = lab.owner;
	lab_release(&lab);
	if (!none.pid || none.pid == (int)getpid() || !lab_owner_alive(&none))
		none.pid = 0;
	return none;
}

/* 1 if the lab's owner died: an orphan. */
static int orphaned(const char *name)
{
	struct lab lab;
	char msg[256];
	int dead;

	if (lab_load(&lab, name, msg, sizeof(msg)))
		return 0;
	dead = lab.owner.pid && !lab_owner_alive(&lab.owner);
	lab_release(&lab);
	return dead;
}

/* One lab: left alone if a live run owns it, else removed (or listed). EXIT_* */
static int down_one(const char *name, const struct down_opts *o, int *removed)
{
	struct lab_owner owner = live_owner(name);
	struct removed r = {};
	char cmd[160];
	int n;

	if (owner.pid) {
		lab_owner_cmdline(&owner, cmd, sizeof(cmd));
		err_msg("down: lab '%s' belongs to pid %d (%s), still running: stop it first ('run' removes its lab when it ends)",
			name, owner.pid, cmd[0] ? cmd : "?");
		return EXIT_ENV;
	}
	n = lab_remove(name, (o->dry ? LAB_REMOVE_DRY : 0) | LAB_REMOVE_INTERRUPTIBLE, seen, &r);
	if (n == -EINTR) {
		err_msg("down: interrupted while waiting for the lab lock: lab '%s' not removed", name);
		return EXIT_FAIL;
	}
	if (n < 0) {
		if (r.len[0] || r.len[1] || r.len[2])
			print_removed(name, &r, o->dry);
		err_msg("down: removing lab '%s': %s", name, strerror(-n));
		return EXIT_ENV;
	}
	if (n > 0) {
		print_removed(name, &r, o->dry);
		(*removed)++;
	}
	return EXIT_PASS;
}

/*
 * --all removes other people's labs too. On a terminal it asks, as rm -i
 * would; without one (a script, a pipe) it is refused unless --yes says the
 * caller meant it, as apt refuses to guess. 0 to go on, or an exit code.
 */
static int confirm_all(char names[][LAB_NAME_MAX + 1], int n, const struct down_opts *o)
{
	char answer[16];

	if (o->dry || o->yes)
		return 0;
	if (!isatty(STDIN_FILENO)) {
		err_msg("down: --all removes every lab on this machine (%d: %s%s), other users' too, and stdin is no terminal to ask on: add --yes",
			n, names[0], n > 1 ? ", ..." : "");
		return EXIT_USAGE;
	}
	fprintf(stderr, "nstrace: down --all removes every lab on this machine, other users' too:\n");
	for (int i = 0; i < n; i++)
		fprintf(stderr, "  %s\n", names[i]);
	fprintf(stderr, "remove %s %d lab%s? [y/N] ", n > 1 ? "these" : "this", n, n > 1 ? "s" : "");
	fflush(stderr);
	if (!fgets(answer, sizeof(answer), stdin))
		answer[0] = '\0';
	answer[strcspn(answer, "\n")] = '\0';
	if (!strcasecmp(answer, "y") || !strcasecmp(answer, "yes"))
		return 0;
	err_msg("down: not confirmed: nothing removed");
	return EXIT_FAIL;
}

static int parse_down(int argc, char **argv, struct down_opts *o)
{
	enum { OPT_ORPHANS = 4000 };
	static const struct option opts[] = {
		{ "lab", required_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "orphans", no_argument, NULL, OPT_ORPHANS },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{}
	};
	int opt, named = 0;

	memset(o, 0, sizeof(*o));
	o->name = LAB_DEFAULT_NAME;
	while ((opt = getopt_long(argc, argv, "l:anyhv", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verbose = 1;
			break;
		case 'l':
			if (check_lab_name(optarg))
				return EXIT_USAGE;
			o->name = optarg;
			named = 1;
			break;
		case 'a':
			o->all = 1;
			break;
		case OPT_ORPHANS:
			o->orphans = 1;
			break;
		case 'n':
			o->dry = 1;
			break;
		case 'y':
			o->yes = 1;
			break;
		case 'h':
			fputs(down_usage, stdout);
			return -1;
		default:
			fprintf(stderr, "see '%s down --help'\n", prog);
			return EXIT_USAGE;
		}
	}
	if (optind < argc || named + o->all + o->orphans > 1) {
		err_msg("down: give one of --lab NAME, --orphans or --all, and no other argument");
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_down(int argc, char **argv)
{
	char (*names)[LAB_NAME_MAX + 1] = NULL;
	struct down_opts o;
	int n = 1, ret, removed = 0;

	ret = parse_down(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_PASS : ret;
	if ((ret = require_root("down", "it reads and removes namespaces and links")))
		return ret;
	/* Ctrl-C gives up a wait for the lock; a removal under way is finished. */
	install_stop_handlers();
	if (!o.all && !o.orphans) {
		ret = down_one(o.name, &o, &removed);
		if (!ret && !removed) {
			err_msg("down: no lab named '%s' (see '%s status')", o.name, prog);
			ret = EXIT_USAGE;
		}
		return ret;
	}
	names = calloc(MAX_LABS, sizeof(*names));
	if (!names) {
		err_msg("down: out of memory");
		return EXIT_ENV;
	}
	n = lab_list(names, MAX_LABS);
	if (o.orphans) {
		int kept = 0;

		for (int i = 0; i < n; i++)
			if (orphaned(names[i]))
				memcpy(names[kept++], names[i], sizeof(names[0]));
		n = kept;
	}
	ret = n && o.all ? confirm_all(names, n, &o) : 0;
	for (int i = 0, stop = ret; !stop && i < n; i++) {
		int r = stop_requested ? EXIT_FAIL : down_one(names[i], &o, &removed);

		/* One lab that stays (owned by a live run, or refused by the kernel) does not stop the others. */
		if (r && !ret)
			ret = r;
		stop = r == EXIT_FAIL;	/* interrupted */
		if (stop && stop_requested)
			err_msg("down: interrupted: %d lab(s) not removed", n - i);
	}
	if (!n)
		printf(o.orphans ? "no orphaned labs\n" : "no labs\n");
	free(names);
	return ret;
}
