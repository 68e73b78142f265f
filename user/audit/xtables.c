// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Legacy iptables and arptables of one namespace (run from inside it).
 * /proc/net/{ip,arp}_tables_names list the tables that exist in this
 * namespace: only those are read, because asking for a table that does not
 * exist makes the kernel create it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit/internal.h"
#include "kernel/netns.h"

#define SAVE_TEXT_MAX (256 * 1024)

/* Tables listed in a /proc/net/..._tables_names file; 0 when none (or no such file). */
static int tables_exist(const char *names_file)
{
	char line[64];
	int n = 0;
	FILE *f = fopen(names_file, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += line[0] != '\n';
	fclose(f);
	return n;
}

static int ipt_hook(const char *chain)
{
	static const char *const hooks[] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING" };

	for (int h = 0; h < 5; h++)
		if (!strcmp(chain, hooks[h]))
			return h;
	return -1;
}

static struct fw_chain *find_chain(struct audit_ctx *c, int first, int backend, const char *table, const char *name)
{
	for (int i = first; i < c->st->nchains; i++)
		if (c->st->chains[i].backend == backend && !strcmp(c->st->chains[i].table, table) &&
		    !strcmp(c->st->chains[i].name, name))
			return &c->st->chains[i];
	return NULL;
}

/* A drop/reject rule of chain ch at position pos, with its text as iptables -S prints it. */
static void add_rule(struct audit_ctx *c, struct fw_chain *ch, int pos, int verdict, int64_t packets,
		     const char *text)
{
	struct fw_rule *r;

	ch->drop_rules++;
	if (c->st->nrules == STATE_MAX_RULES)
		return;
	r = &c->st->rules[c->st->nrules++];
	memset(r, 0, sizeof(*r));
	r->chain = (int)(ch - c->st->chains);
	r->handle = (uint64_t)pos;
	r->verdict = verdict;
	/* "-A CHAIN -j DROP" has no match: anything else selects packets. */
	r->matches = strstr(text, " -j ") != strchr(text + 3, ' ');
	r->packets_before = r->packets_after = packets;
	snprintf(r->text, sizeof(r->text), "%.*s", (int)strcspn(text, "\n"), text);
}

/* "[3:252] -A FORWARD -p icmp -j DROP" lines of iptables-legacy-save -c. */
static void parse_ipt_rule(struct audit_ctx *c, int first, const char *table, const char *line, int *pos)
{
	unsigned long long pk, bytes;
	char chain[32];
	const char *rule = strstr(line, "-A ");
	const char *j = strstr(line, " -j ");
	int verdict = !j ? 0 : !strncmp(j, " -j DROP", 8) ? FW_DROP : !strncmp(j, " -j REJECT", 10) ? FW_REJECT : 0;
	struct fw_chain *ch;

	if (!rule || sscanf(line, "[%llu:%llu] -A %31s", &pk, &bytes, chain) != 3)
		return;
	(*pos)++;
	if (!verdict)
		return;
	ch = find_chain(c, first, FW_IPT_LEGACY, table, chain);
	if (!ch)
		ch = fw_add_chain(c, FW_IPT_LEGACY, FW_IPV4, table, chain);
	if (ch)
		add_rule(c, ch, *pos, verdict, (int64_t)pk, rule);
}

/*
 * The built-in chains that accept of a table whose user chains drop: a user
 * chain is reached through them, so they place its rules at their hooks.
 */
struct builtin {
	char table[32], chain[32];
};

static void add_entry_chains(struct audit_ctx *c, int first, const struct builtin *b, int nb)
{
	for (int i = 0; i < nb; i++) {
		int used = 0;
		struct fw_chain *ch;

		for (int k = first; k < c->st->nchains && !used; k++)
			used = c->st->chains[k].hook < 0 && c->st->chains[k].drop_rules > 0 &&
			       !strcmp(c->st->chains[k].table, b[i].table);
		if (!used || find_chain(c, first, FW_IPT_LEGACY, b[i].table, b[i].chain))
			continue;
		ch = fw_add_chain(c, FW_IPT_LEGACY, FW_IPV4, b[i].table, b[i].chain);
		if (ch) {
			ch->hook = ipt_hook(b[i].chain);
			ch->policy = FW_ACCEPT;
		}
	}
}

static void ipt_read(struct audit_ctx *c, char *text)
{
	char table[32] = "", chain[32], policy[16], *line, *save;
	int first = c->st->nchains, pos = 0, nb = 0;
	char last_chain[32] = "";
	unsigned long long pk, bytes;
	struct builtin accepting[24];

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '*') {
			snprintf(table, sizeof(table), "%s", line + 1);
		} else if (line[0] == ':') {
			if (sscanf(line, ":%31s %15s [%llu:%llu]", chain, policy, &pk, &bytes) == 4 && !strcmp(policy, "ACCEPT") &&
			    nb < (int)(sizeof(accepting) / sizeof(accepting[0]))) {
				snprintf(accepting[nb].table, sizeof(accepting[nb].table), "%s", table);
				snprintf(accepting[nb++].chain, sizeof(accepting[0].chain), "%s", chain);
			}
			if (sscanf(line, ":%31s %15s [%llu:%llu]", chain, policy, &pk, &bytes) == 4 && !strcmp(policy, "DROP")) {
				struct fw_chain *ch = fw_add_chain(c, FW_IPT_LEGACY, FW_IPV4, table, chain);

				if (ch) {
					ch->hook = ipt_hook(chain);
					ch->policy = FW_DROP;
					ch->policy_packets_before = ch->policy_packets_after = (int)pk;
				}
			}
			/* User chains come after the built-in ones: Docker's own marks the FORWARD policy its. */
			if (sscanf(line, ":%31s", chain) == 1)
				fw_table_owner(c, first, FW_IPT_LEGACY, FW_IPV4, table, chain);
		} else if (line[0] == '[') {
			char this_chain[32] = "";

			sscanf(strstr(line, "-A ") ? strstr(line, "-A ") : "", "-A %31s", this_chain);
			if (strcmp(this_chain, last_chain)) {
				pos = 0;
				snprintf(last_chain, sizeof(last_chain), "%s", this_chain);
			}
			parse_ipt_rule(c, first, table, line, &pos);
		}
	}
	for (int i = first; i < c->st->nchains; i++)
		if (c->st->chains[i].hook < 0)
			c->st->chains[i].hook = ipt_hook(c->st->chains[i].name);
	add_entry_chains(c, first, accepting, nb);
}

/* Only chains that can stop a packet are facts worth keeping: the others (no rules of theirs kept) go. */
static void drop_harmless(struct audit_ctx *c, int first)
{
	struct state *st = c->st;

	for (int i = st->nchains - 1; i >= first; i--) {
		if (st->chains[i].policy == FW_DROP || st->chains[i].drop_rules)
			continue;
		memmove(&st->chains[i], &st->chains[i + 1], (st->nchains - i - 1) * sizeof(st->chains[0]));
		st->nchains--;
		for (int r = 0; r < st->nrules; r++)
			if (st->rules[r].chain > i)
				st->rules[r].chain--;
	}
}

/* "Chain FORWARD (policy DROP 3 packets, 126 bytes)" and "1 -j DROP ... , pcnt=0 -- bcnt=0". */
static void arpt_read(struct audit_ctx *c, char *text)
{
	static const char *const hooks[] = { "INPUT", "OUTPUT", "FORWARD" };	/* NF_ARP_IN, OUT, FORWARD */
	struct fw_chain *ch = NULL;
	char *line, *save, name[32], policy[16];
	unsigned long long pk;
	int pos, first = c->st->nchains;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "Chain %31s (policy %15s %llu packets", name, policy, &pk) == 3) {
			ch = fw_add_chain(c, FW_ARPT_LEGACY, FW_ARP, "filter", name);
			if (!ch)
				return;
			for (int h = 0; h < 3; h++)
				if (!strcmp(name, hooks[h]))
					ch->hook = h;
			ch->policy = !strcmp(policy, "DROP") ? FW_DROP : FW_ACCEPT;
			ch->policy_packets_before = ch->policy_packets_after = (int)pk;
		} else if (ch && sscanf(line, "%d -j", &pos) == 1) {
			const char *pcnt = strstr(line, "pcnt=");
			int verdict = strstr(line, "-j DROP") ? FW_DROP : 0;

			if (verdict)
				add_rule(c, ch, pos, verdict, pcnt ? atoll(pcnt + 5) : -1, line);
		}
	}
	drop_harmless(c, first);
}

static void run_and_parse(struct audit_ctx *c, const char *names_file, char *const argv[],
			  void (*parse)(struct audit_ctx *, char *))
{
	char *text;
	int rc;

	if (!tables_exist(names_file))
		return;
	text = malloc(SAVE_TEXT_MAX);
	if (!text) {
		fw_unreadable(c, argv[0], ENOMEM);
		return;
	}
	rc = netns_capture(-1, argv, text, SAVE_TEXT_MAX);
	if (rc == 0)
		parse(c, text);
	else
		/* Tables exist but cannot be read: their rules are unknown, not absent. */
		fw_unreadable(c, argv[0], rc == 127 ? ENOENT : EIO);
	free(text);
}

void xtables_read(struct audit_ctx *c)
{
	char *const ipt[] = { "iptables-legacy-save", "-c", NULL };
	char *const arpt[] = { "arptables-legacy", "-L", "-n", "-v", "-x", "--line-numbers", NULL };

	run_and_parse(c, "/proc/net/ip_tables_names", ipt, ipt_read);
	run_and_parse(c, "/proc/net/arp_tables_names", arpt, arpt_read);
}
