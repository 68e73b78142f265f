// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "analysis/fw.h"
#include "analysis/rules.h"

/* Hook numbers per family (nftables and xtables agree on them). */
enum { INET_PRE = 0, INET_IN = 1, INET_FWD = 2, INET_OUT = 3, INET_POST = 4 };
enum { ARP_IN = 0, ARP_OUT = 1, ARP_FWD = 2 };

int fw_known(const struct evidence *e, uint32_t ino)
{
	const struct ns_state *ns = ns_of(e, ino);

	return e->st && ns && ns->firewall_known;
}

static int is_ipv4(const struct fw_chain *ch)
{
	return ch->family == FW_IPV4 || ch->family == FW_INET;
}

/* The hooks a packet on that path meets, per family. */
static int on_path(const struct fw_site *s, const struct fw_chain *ch)
{
	int h = ch->hook, arp = s->proto == NSTRACE_PROTO_ARP;

	if (ch->family == FW_NETDEV)
		return 1;
	switch (s->path) {
	case FW_PATH_BRIDGED:
		if (ch->family == FW_BRIDGE)
			return h == INET_PRE || h == INET_FWD || h == INET_POST;
		if (is_ipv4(ch) && !arp && s->br_nf_ip)
			return h == INET_PRE || h == INET_FWD || h == INET_POST;
		return ch->family == FW_ARP && arp && s->br_nf_arp && h == ARP_FWD;
	case FW_PATH_IN:
		if (ch->family == FW_BRIDGE)
			return h == INET_PRE || h == INET_IN;
		return arp ? ch->family == FW_ARP && h == ARP_IN : is_ipv4(ch) && (h == INET_PRE || h == INET_IN);
	case FW_PATH_OUT:
		if (ch->family == FW_BRIDGE)
			return h == INET_OUT || h == INET_POST;
		return arp ? ch->family == FW_ARP && h == ARP_OUT : is_ipv4(ch) && (h == INET_OUT || h == INET_POST);
	case FW_PATH_FORWARDED:
		return !arp && is_ipv4(ch) && (h == INET_PRE || h == INET_FWD || h == INET_POST);
	}
	return 0;
}

/* A base chain with a user chain of its table jumps there: its drop rules count as the table's. */
static int reached_by(const struct evidence *e, const struct fw_site *s, const struct fw_chain *ch)
{
	if (ch->hook >= 0)
		return on_path(s, ch);
	for (int i = 0; i < e->st->nchains; i++) {
		const struct fw_chain *b = &e->st->chains[i];

		if (b->hook >= 0 && b->ns_ino == ch->ns_ino && b->backend == ch->backend && b->family == ch->family &&
		    !strcmp(b->table, ch->table) && on_path(s, b))
			return 1;
	}
	return 0;
}

static int candidate(const struct evidence *e, const struct fw_site *s, const struct fw_chain *ch)
{
	if (ch->ns_ino != s->ino || !reached_by(e, s, ch))
		return 0;
	/* Our IPv4 observers place the drop inside one IPv4 hook, or outside all of them. */
	if (s->hook >= 0)
		return is_ipv4(ch) && (ch->hook == s->hook || ch->hook < 0);
	if (s->saw_ipv4_hooks && is_ipv4(ch))
		return 0;
	return 1;
}

static int64_t growth(int64_t before, int64_t after)
{
	return before >= 0 && after >= 0 ? after - before : 0;
}

/* Counters that grew while the probes ran: the rule (or legacy policy) that counted them. */
static int by_counter(const struct evidence *e, const struct fw_site *s, struct fw_blame *b)
{
	const struct state *st = e->st;
	int found = 0, strong = 0;

	for (int i = 0; i < st->nrules; i++) {
		const struct fw_rule *r = &st->rules[i];
		int64_t g = growth(r->packets_before, r->packets_after);

		if (g <= 0 || !candidate(e, s, &st->chains[r->chain]))
			continue;
		/* Several grew (others' traffic): keep one that counted at least every lost probe. */
		if (!found++ || (g >= s->lost && !strong)) {
			b->chain = &st->chains[r->chain];
			b->rule = r;
			strong = g >= s->lost;
		}
	}
	for (int i = 0; i < st->nchains; i++) {
		const struct fw_chain *ch = &st->chains[i];

		if (ch->policy != FW_DROP || growth(ch->policy_packets_before, ch->policy_packets_after) <= 0 ||
		    !candidate(e, s, ch))
			continue;
		if (!found++) {
			b->chain = ch;
			b->rule = NULL;
		}
	}
	b->by_counter = found == 1 || strong;
	return b->by_counter;
}

/* nftables' trace named the chain and rule (or policy) that dropped this kind of packet there. */
static int by_trace(const struct evidence *e, const struct fw_site *s, struct fw_blame *b)
{
	const struct state *st = e->st;

	for (int t = 0; t < st->ntraces; t++) {
		const struct trace_fact *f = &st->traces[t];

		if (f->ns_ino != s->ino || f->proto != s->proto ||
		    (s->proto == NSTRACE_PROTO_ICMP && s->icmp_id && f->icmp_id != s->icmp_id))
			continue;
		for (int i = 0; i < st->nchains; i++) {
			const struct fw_chain *ch = &st->chains[i];

			if (ch->backend != FW_NFT || ch->ns_ino != f->ns_ino || ch->family != f->family ||
			    strcmp(ch->table, f->table) || strcmp(ch->name, f->chain) || !candidate(e, s, ch))
				continue;
			b->chain = ch;
			b->rule = NULL;
			for (int r = 0; !f->is_policy && r < st->nrules; r++)
				if (&st->chains[st->rules[r].chain] == ch && st->rules[r].handle == f->handle)
					b->rule = &st->rules[r];
			if (!f->is_policy && !b->rule)
				continue;	/* a rule not among those read: no claim */
			b->by_trace = 1;
			return 1;
		}
	}
	return 0;
}

/*
 * Every drop rule of the candidate chains has a counter and none grew while
 * the probes ran, and one candidate's policy drops: that policy is the one
 * (Docker's FORWARD DROP once its accept rule for the bridge is gone).
 */
static int by_silence(const struct evidence *e, const struct fw_site *s, struct fw_blame *b)
{
	const struct state *st = e->st;
	const struct fw_chain *policy = NULL;
	int policies = 0, silent = 0;

	for (int i = 0; i < st->nrules; i++) {
		const struct fw_rule *r = &st->rules[i];

		if (!candidate(e, s, &st->chains[r->chain]))
			continue;
		if (r->packets_before < 0 || r->packets_after < 0 || growth(r->packets_before, r->packets_after) > 0)
			return 0;
		silent++;
	}
	/* No drop rule at all: a lone policy is the plain case, said without this argument. */
	if (!silent)
		return 0;
	for (int i = 0; i < st->nchains; i++)
		if (st->chains[i].policy == FW_DROP && st->chains[i].hook >= 0 && candidate(e, s, &st->chains[i])) {
			policy = &st->chains[i];
			policies++;
		}
	if (policies != 1)
		return 0;
	b->chain = policy;
	b->rule = NULL;
	b->by_silence = 1;
	return 1;
}

int fw_blame(const struct evidence *e, const struct fw_site *s, struct fw_blame *b)
{
	const struct state *st = e->st;
	const struct fw_chain *only = NULL;

	memset(b, 0, sizeof(*b));
	if (!st)
		return 0;
	for (int i = 0; i < st->nchains; i++)
		if (candidate(e, s, &st->chains[i])) {
			b->candidates++;
			only = &st->chains[i];
		}
	if (!b->candidates)
		return 0;
	if (by_trace(e, s, b) || by_counter(e, s, b))
		return 1;
	b->chain = NULL;
	b->rule = NULL;
	if (by_silence(e, s, b))
		return 1;
	if (b->candidates > 1)
		return 0;
	/* One chain could have: its policy, or its one drop rule, is the only explanation. */
	if (only->policy == FW_DROP && !only->drop_rules) {
		b->chain = only;
		return 1;
	}
	if (only->policy != FW_DROP && only->drop_rules == 1) {
		for (int i = 0; i < st->nrules; i++)
			if (&st->chains[st->rules[i].chain] == only)
				b->rule = &st->rules[i];
		b->chain = b->rule ? only : NULL;
		return b->rule != NULL;
	}
	return 0;
}

static const char *backend_word(int backend)
{
	switch (backend) {
	case FW_IPT_LEGACY: return "iptables-legacy";
	case FW_ARPT_LEGACY: return "arptables-legacy";
	case FW_EBT_LEGACY: return "ebtables-legacy";
	}
	return "nftables";
}

const char *fw_chain_str(const struct fw_chain *ch, char *buf, int size)
{
	if (ch->backend == FW_NFT)
		snprintf(buf, size, "nftables table %s %s, chain %s", fw_family_name(ch->family), ch->table, ch->name);
	else
		snprintf(buf, size, "%s table %s, chain %s", backend_word(ch->backend), ch->table, ch->name);
	return buf;
}

static const char *owner_note(const char *owner)
{
	if (!strcmp(owner, "docker"))
		return "made by Docker, which keeps the DOCKER-USER chain for your own rules";
	if (!strcmp(owner, "kube-proxy"))
		return "made by kube-proxy, which rewrites its chains: change the Service or NetworkPolicy instead";
	if (!strcmp(owner, "cni"))
		return "made by a CNI plugin, which recreates it with the pod";
	if (!strcmp(owner, "firewalld"))
		return "made by firewalld: change it with firewall-cmd, or it comes back on reload";
	if (!strcmp(owner, "ufw"))
		return "made by ufw: change it with ufw, or it comes back on reload";
	return NULL;
}

void fw_blame_lines(const struct evidence *e, const struct fw_blame *b, struct verdict *v)
{
	char chain[160];
	const char *owner;

	(void)e;
	if (!b->chain)
		return;
	fw_chain_str(b->chain, chain, sizeof(chain));
	if (b->rule)
		add_line(v, "state: %s: rule %s %llu: %s", chain, b->chain->backend == FW_NFT ? "handle" : "#",
			 (unsigned long long)b->rule->handle, b->rule->text[0] ? b->rule->text : "(drops or rejects)");
	else
		add_line(v, "state: %s: policy drop%s", chain, b->chain->drop_rules ? "" : "; none of its rules drops");
	if (b->by_trace)
		add_line(v, "event: nftables' own trace reported that %s dropped the probe",
			 b->rule ? "rule" : "the policy");
	else if (b->by_counter && b->rule)
		add_line(v, "state: its counter grew by %lld while the probes ran",
			 (long long)(b->rule->packets_after - b->rule->packets_before));
	else if (b->by_counter)
		add_line(v, "state: the policy's counter grew by %d while the probes ran",
			 b->chain->policy_packets_after - b->chain->policy_packets_before);
	else if (b->by_silence)
		add_line(v, "state: no drop rule's counter on the way grew while the probes ran: the policy dropped them");
	owner = owner_note(b->chain->owner);
	if (owner)
		add_line(v, "state: %s", owner);
}

/* Tables iptables-nft, arptables-nft and ebtables-nft make: their own tools speak for them. */
static const char *xt_nft_tool(const struct fw_chain *ch)
{
	static const char *const ipt[] = { "filter", "mangle", "raw", "security", "nat", NULL };

	for (int i = 0; ipt[i]; i++)
		if (!strcmp(ch->table, ipt[i]) && ch->family == FW_IPV4 && ch->hook >= 0 && strchr("PIFO", ch->name[0]))
			return "iptables";
	if (ch->family == FW_BRIDGE && (!strcmp(ch->table, "filter") || !strcmp(ch->table, "nat")) &&
	    strchr("IFOP", ch->name[0]) && ch->name[1] >= 'A' && ch->name[1] <= 'Z')
		return "ebtables";
	if (ch->family == FW_ARP && !strcmp(ch->table, "filter") && strchr("IFO", ch->name[0]) &&
	    ch->name[1] >= 'A' && ch->name[1] <= 'Z')
		return "arptables";
	return NULL;
}

static void policy_fix(struct verdict *v, const struct ns_ref *ns, const struct fw_chain *ch)
{
	const char *tool = ch->backend == FW_IPT_LEGACY ? "iptables-legacy" :
			   ch->backend == FW_ARPT_LEGACY ? "arptables-legacy" : xt_nft_tool(ch);
	const char *note = "lets through what no rule of that chain drops";
	struct fix *f;

	if (tool) {
		f = verdict_fix(v, ns, note, ARGV(tool, "-t", ch->table, "-P", ch->name, "ACCEPT"));
		fix_revert(v, f, ns, ARGV(tool, "-t", ch->table, "-P", ch->name, "DROP"));
		return;
	}
	f = verdict_fix(v, ns, note, ARGV("nft", "chain", fw_family_name(ch->family), ch->table, ch->name,
					  "{ policy accept ; }"));
	fix_revert(v, f, ns, ARGV("nft", "chain", fw_family_name(ch->family), ch->table, ch->name, "{ policy drop ; }"));
}

void fw_blame_fix(struct verdict *v, const struct ns_ref *ns, const struct fw_blame *b)
{
	const struct fw_chain *ch = b->chain;
	char handle[24];
	struct fix *f;

	if (!ch)
		return;
	if (!b->rule) {
		policy_fix(v, ns, ch);
		return;
	}
	snprintf(handle, sizeof(handle), "%llu", (unsigned long long)b->rule->handle);
	if (ch->backend == FW_NFT) {
		f = verdict_fix(v, ns, "removes the rule that drops", ARGV("nft", "delete", "rule", fw_family_name(ch->family),
									      ch->table, ch->name, "handle", handle));
		if (b->rule->text[0])
			fix_revert(v, f, ns, ARGV("nft", "add", "rule", fw_family_name(ch->family), ch->table, ch->name,
						  b->rule->text));
		return;
	}
	f = verdict_fix(v, ns, "removes the rule that drops",
			ch->backend == FW_ARPT_LEGACY ? ARGV("arptables-legacy", "-D", ch->name, handle) :
							ARGV("iptables-legacy", "-t", ch->table, "-D", ch->name, handle));
	(void)f;
}
