// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Firewalls of one namespace (run from inside it): nftables through
 * nfnetlink, including what iptables-nft, arptables-nft and ebtables-nft
 * made; then legacy xtables (xtables.c). Only chains that can stop a packet
 * are kept: base chains whose policy drops, chains holding rules that drop or
 * reject (with those rules), and the base chains of their tables, which
 * place them at a hook.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "audit/internal.h"
#include "kernel/netns.h"
#include "kernel/nftables.h"

#define NFT_RULESET_TEXT_MAX (256 * 1024)

/*
 * A kernel part is loaded or built in, so asking it a question cannot make
 * the kernel load it: reading must never load a module.
 */
static int kernel_has(const char *module)
{
	char path[192], line[256], want[64];
	struct utsname u;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s", module);
	if (!access(path, F_OK))
		return 1;
	/* No module support: whatever the kernel has is built in. */
	if (access("/proc/modules", F_OK))
		return 1;
	if (uname(&u))
		return 0;
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.builtin", u.release);
	snprintf(want, sizeof(want), "/%s.ko", module);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

const char *fw_owner(const char *table, const char *chain)
{
	if (!strcmp(table, "firewalld"))
		return "firewalld";
	if (!strncmp(chain, "DOCKER", 6))
		return "docker";
	if (!strncmp(chain, "CNI-", 4))
		return "cni";
	if (!strncmp(chain, "KUBE-", 5))
		return "kube-proxy";
	if (!strncmp(chain, "ufw-", 4))
		return "ufw";
	return "";
}

void fw_unreadable(struct audit_ctx *c, const char *what, int err)
{
	struct ns_state *ns = &c->st->ns[c->ns];

	ns->firewall_known = 0;
	if (!ns->firewall_error[0])
		snprintf(ns->firewall_error, sizeof(ns->firewall_error), "%s: %s", what, strerror(err));
}

struct fw_chain *fw_add_chain(struct audit_ctx *c, int backend, int family, const char *table, const char *name)
{
	struct state *st = c->st;
	struct fw_chain *ch;

	if (st->nchains == STATE_MAX_CHAINS)
		return NULL;
	ch = &st->chains[st->nchains++];
	memset(ch, 0, sizeof(*ch));
	ch->ns_ino = st->ns[c->ns].ref.ino;
	ch->backend = backend;
	ch->family = family;
	ch->hook = -1;
	ch->policy_packets_before = ch->policy_packets_after = -1;
	snprintf(ch->table, sizeof(ch->table), "%s", table);
	snprintf(ch->name, sizeof(ch->name), "%s", name);
	snprintf(ch->owner, sizeof(ch->owner), "%s", fw_owner(table, name));
	return ch;
}

static int dormant(const struct nft_table_rec *t, int nt, int family, const char *table)
{
	for (int i = 0; i < nt; i++)
		if (t[i].family == family && !strcmp(t[i].name, table))
			return t[i].dormant;
	return 0;
}

static int can_stop(int verdict)
{
	return verdict == NFT_RULE_DROP || verdict == NFT_RULE_REJECT || verdict == NFT_RULE_VMAP;
}

/* The chain's drop/reject rules into the state, in chain order. */
static void add_rules(struct audit_ctx *c, int chain, const struct nft_rule_rec *r, int nr)
{
	struct state *st = c->st;
	struct fw_chain *ch = &st->chains[chain];

	for (int i = 0; i < nr; i++) {
		struct fw_rule *fr;

		if (r[i].family != ch->family || strcmp(r[i].table, ch->table) || strcmp(r[i].chain, ch->name) ||
		    !can_stop(r[i].verdict))
			continue;
		ch->drop_rules++;
		if (st->nrules == STATE_MAX_RULES)
			continue;
		fr = &st->rules[st->nrules++];
		memset(fr, 0, sizeof(*fr));
		fr->chain = chain;
		fr->handle = r[i].handle;
		fr->verdict = r[i].verdict == NFT_RULE_REJECT ? FW_REJECT : FW_DROP;
		fr->matches = r[i].matches + (r[i].verdict == NFT_RULE_VMAP);
		fr->packets_before = fr->packets_after = r[i].has_counter ? (int64_t)r[i].packets : -1;
	}
}

/* "ip protocol icmp counter packets 3 bytes 252 drop # handle 4" -> "ip protocol icmp counter drop". */
static void clean_rule_text(const char *line, char *out, int size)
{
	const char *end = strstr(line, " # handle ");
	char buf[512];
	char *p;

	while (*line == ' ' || *line == '\t')
		line++;
	snprintf(buf, sizeof(buf), "%.*s", end ? (int)(end - line) : (int)strcspn(line, "\n"), line);
	p = strstr(buf, "counter packets ");
	if (p) {
		char *q = strstr(p, " bytes ");

		if (q) {
			q += 7;
			q += strspn(q, "0123456789");
			memmove(p + 7, q, strlen(q) + 1);
		}
	}
	snprintf(out, size, "%.*s", size - 1, buf);
}

/* Each kept nft rule's line as 'nft -a list ruleset' prints it, matched by table, chain and handle. */
static void nft_rule_texts(struct audit_ctx *c, int first_rule)
{
	char *const argv[] = { "nft", "-a", "list", "ruleset", NULL };
	char *text, *line, *save, family[16] = "", table[64] = "", chain[64] = "";
	unsigned long long handle;

	if (first_rule == c->st->nrules)
		return;
	text = malloc(NFT_RULESET_TEXT_MAX);
	if (!text)
		return;
	if (netns_capture(-1, argv, text, NFT_RULESET_TEXT_MAX) != 0) {
		free(text);
		return;	/* no nft here: the rules are still named by table, chain and handle */
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *h = strstr(line, " # handle ");

		if (sscanf(line, "table %15s %63s", family, table) == 2 && strchr(line, '{'))
			continue;
		if (sscanf(line, " chain %63s", chain) == 1 && strchr(line, '{'))
			continue;
		if (!h || sscanf(h, " # handle %llu", &handle) != 1)
			continue;
		for (int i = first_rule; i < c->st->nrules; i++) {
			struct fw_rule *r = &c->st->rules[i];
			const struct fw_chain *ch = &c->st->chains[r->chain];

			if (r->handle == handle && !strcmp(ch->table, table) && !strcmp(ch->name, chain) &&
			    !strcmp(fw_family_name(ch->family), family))
				clean_rule_text(line, r->text, sizeof(r->text));
		}
	}
	free(text);
}

void fw_table_owner(struct audit_ctx *c, int first_chain, int backend, int family, const char *table,
		    const char *chain_name)
{
	struct state *st = c->st;

	/* Docker sets the FORWARD policy to DROP in the table that holds its chains, even ones that only RETURN. */
	if (strcmp(fw_owner(table, chain_name), "docker"))
		return;
	for (int i = first_chain; i < st->nchains; i++)
		if (!st->chains[i].owner[0] && st->chains[i].policy == FW_DROP && st->chains[i].backend == backend &&
		    st->chains[i].family == family && !strcmp(st->chains[i].table, table))
			snprintf(st->chains[i].owner, sizeof(st->chains[i].owner), "docker");
}

static int nft_read(struct audit_ctx *c)
{
	struct nft_table_rec *t = NULL;
	struct nft_chain_rec *ch = NULL;
	struct nft_rule_rec *r = NULL;
	int nt, nc = -1, nr = -1, first_rule = c->st->nrules, first_chain = c->st->nchains, err;
	struct nl nf;

	err = nl_open_netfilter(&nf);
	if (err)
		return err;
	nt = nft_table_dump(&nf, &t);
	if (nt >= 0)
		nc = nft_chain_dump(&nf, &ch);
	if (nc >= 0)
		nr = nft_rule_dump(&nf, &r);
	nl_close(&nf);
	err = nt < 0 ? nt : nc < 0 ? nc : nr < 0 ? nr : 0;
	for (int i = 0; !err && i < nc; i++) {
		int stops = ch[i].is_base && ch[i].policy == 0;	/* NF_DROP */
		struct fw_chain *fc;

		/* A base chain of a table whose other chains drop: they are reached through it (jump, goto). */
		for (int j = 0; j < nr && !stops; j++)
			stops = r[j].family == ch[i].family && !strcmp(r[j].table, ch[i].table) &&
				(ch[i].is_base || !strcmp(r[j].chain, ch[i].name)) && can_stop(r[j].verdict);
		if (!stops || dormant(t, nt, ch[i].family, ch[i].table))
			continue;
		fc = fw_add_chain(c, FW_NFT, ch[i].family, ch[i].table, ch[i].name);
		if (!fc)
			break;
		if (ch[i].is_base) {
			fc->hook = ch[i].hook;
			fc->priority = ch[i].priority;
			fc->policy = ch[i].policy == 0 ? FW_DROP : FW_ACCEPT;
			snprintf(fc->dev, sizeof(fc->dev), "%s", ch[i].dev);
		}
		add_rules(c, c->st->nchains - 1, r, nr);
	}
	for (int i = 0; !err && i < nc; i++)
		fw_table_owner(c, first_chain, FW_NFT, ch[i].family, ch[i].table, ch[i].name);
	free(t);
	free(ch);
	free(r);
	if (!err && !c->counters_only)
		nft_rule_texts(c, first_rule);
	return err;
}

void firewall_read(struct audit_ctx *c)
{
	int err;

	c->st->ns[c->ns].firewall_known = 1;
	if (audit_fail("firewall")) {
		fw_unreadable(c, "firewall", EIO);
		return;
	}
	/* Without nf_tables loaded there is no nftables rule anywhere, and asking would load it. */
	if (kernel_has("nf_tables")) {
		err = nft_read(c);
		if (err)
			fw_unreadable(c, "nftables", -err);
	}
	xtables_read(c);
}
