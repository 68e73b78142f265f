// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A packet netfilter dropped: the events place it (a bridge it crossed, the
 * namespace that sent or received it, a router), br_netfilter's settings say
 * which families could see it there, and the audited chains and counters
 * name the chain and rule. When the facts contradict the events, the verdict
 * says so instead of guessing.
 */
#include <stdio.h>
#include <string.h>
#include "analysis/drop_site.h"
#include "analysis/drops.h"
#include "analysis/fixes.h"
#include "analysis/plan.h"
#include "model/packet.h"

static int is_ipv4_chain(const struct fw_chain *ch)
{
	return ch->family == FW_IPV4 || ch->family == FW_INET;
}

/* Facts read, and no chain on the packet's way could drop it: events and state disagree. */
static int unexplained(const struct evidence *e, const struct drop_site *s, const char *what, struct verdict *v)
{
	int n = 0;

	for (int i = 0; e->st && i < e->st->nchains; i++)
		n += e->st->chains[i].ns_ino == s->ino && fw_chain_can_drop(&e->st->chains[i]);
	add_line(v, "state: firewalls read in %s: %d chain(s) that can drop, none on the %s's way", label_of(e, s->ino), n, what);
	set_cause(v, "inconclusive", 0,
		  "netfilter dropped the %s in %s, but no chain read there could have: ebtables-legacy (not read), a module's own hook, or rules that changed since",
		  what, label_of(e, s->ino));
	verdict_inspect(v, s->ref, "lists every hook that runs there, firewall or not", ARGV("nft", "list", "hooks"));
	return 1;
}

/* The firewalls were audited and could not be read: say so; returns 1 when that is the case. */
static int unreadable(const struct evidence *e, const struct drop_site *s, struct verdict *v)
{
	if (!e->st || fw_known(e, s->ino))
		return 0;
	add_line(v, "state: could not read the firewalls of %s: %s", label_of(e, s->ino),
		 s->ns && s->ns->firewall_error[0] ? s->ns->firewall_error : "unknown error");
	return 1;
}

/* Bridged and dropped by netfilter, with nothing that tells which family's table: no guess. */
static int which_table_unknown(const struct drop_site *s, const char *what, const char *families, struct verdict *v)
{
	set_cause(v, "netfilter-drop", 0, "netfilter in %s dropped the bridged %s, in %s; which table, the unreadable firewalls would tell",
		  s->ns->ref.label, what, families);
	verdict_inspect(v, s->ref, "shows every table; the chain whose counter grows is the one", ARGV("nft", "list", "ruleset"));
	return 1;
}

static void bridge_family_drop(const struct evidence *e, const struct drop_site *s, const struct fw_blame *b,
			       const char *what, struct verdict *v)
{
	set_cause(v, "bridge-firewall-drop", 1,
		  "a bridge-family firewall rule (nft bridge table or ebtables) in %s dropped the %s; br_netfilter did not pass it to iptables/arptables",
		  s->ns->ref.label, what);
	if (b && b->chain) {
		fw_blame_lines(e, b, v);
		fw_blame_fix(v, s->ref, b);
	}
	verdict_inspect(v, s->ref, "shows the bridge-family rules; remove the one that drops",
			ARGV("nft", "list", "ruleset", "bridge"));
}

/* The fixes for IPv4 that br_netfilter handed to iptables: where the owner expects them first. */
static void br_netfilter_fixes(const struct drop_site *s, const struct fw_blame *b, const char *bname,
			       int via_sysctl, int via_option, struct verdict *v)
{
	const char *ipt = b && b->chain && b->chain->backend == FW_IPT_LEGACY ? "iptables-legacy" : "iptables";

	if (b && b->chain && !strcmp(b->chain->owner, "docker"))
		fix_insert_rule(v, s->ref, "Docker keeps DOCKER-USER for your rules and leaves them in place when it restarts",
				ipt, "DOCKER-USER", ARGV("-i", bname, "-o", bname, "-j", "ACCEPT"));
	if (via_sysctl)
		fix_sysctl(v, s->ref, "bridged IPv4 skips iptables on this whole namespace; Docker and kube-proxy rely on it being 1",
			   "net.bridge.bridge-nf-call-iptables", 0, 1);
	else
		fix_bridge_option(v, s->ref, "only this bridge stops sending IPv4 to iptables", bname);
	fix_insert_rule(v, s->ref, "keeps br_netfilter; accepts traffic bridged within this bridge before other FORWARD rules",
			ipt, "FORWARD", ARGV("-i", bname, "-o", bname, "-j", "ACCEPT"));
	if (via_sysctl && via_option)
		fix_bridge_option(v, s->ref, "the bridge's own option keeps br_netfilter on for it even with the sysctl at 0", bname);
	if (b && b->chain && v->nfix < VERDICT_MAX_FIXES)
		fw_blame_fix(v, s->ref, b);
}

static int bridged_ipv4(const struct evidence *e, const struct drop_site *s, const struct fw_blame *b, int known,
			const char *what, struct verdict *v)
{
	const struct ns_state *ns = s->ns;
	const struct link_state *br = &e->links[s->bridge];
	const char *bname = e->topo->ifs[s->bridge].name;
	int via_sysctl = ns->bridge_nf_call_iptables == 1, via_option = br->br_nf_call_iptables == 1;
	/* Inside an IPv4 hook (or a blamed iptables chain): iptables; outside every IPv4 hook seen: the bridge family. */
	int in_ipv4 = b && b->chain ? is_ipv4_chain(b->chain) : s->hook ? 1 : s->fw.saw_ipv4_hooks ? 0 : via_sysctl || via_option;

	add_line(v, "state: net.bridge.bridge-nf-call-iptables = %d in %s", ns->bridge_nf_call_iptables, ns->ref.label);
	add_line(v, "state: %s nf_call_iptables = %d", bname, br->br_nf_call_iptables);
	if (ns->forward_policy[0])
		add_line(v, "state: iptables FORWARD policy %s, %d DROP/REJECT rule(s) in %s",
			 ns->forward_policy, ns->forward_drop_rules, ns->ref.label);
	if (known && b && !b->candidates)
		return unexplained(e, s, what, v);
	/* Only an IPv4 hook the packet died in proves iptables without the facts; nothing proves the bridge family. */
	if (unreadable(e, s, v) && !s->hook && (via_sysctl || via_option))
		return which_table_unknown(s, what, "an iptables chain (br_netfilter) or a bridge-family rule", v);
	if (!in_ipv4 || (!via_sysctl && !via_option)) {
		bridge_family_drop(e, s, b, what, v);
		return 1;
	}
	set_cause(v, "br-netfilter-iptables-drop", 1,
		  "br_netfilter passed the bridged %s to iptables (%s) and a rule or the policy of the %s chain in %s dropped it",
		  what, via_sysctl ? "net.bridge.bridge-nf-call-iptables=1" : "the bridge's nf_call_iptables option",
		  s->hook_name ? s->hook_name : "FORWARD", ns->ref.label);
	if (b && b->chain)
		fw_blame_lines(e, b, v);
	br_netfilter_fixes(s, b, bname, via_sysctl, via_option, v);
	return 1;
}

static int bridged_arp(const struct evidence *e, const struct drop_site *s, const struct fw_blame *b, int known,
		       const char *what, struct verdict *v)
{
	const struct ns_state *ns = s->ns;
	int by_arptables = b && b->chain ? b->chain->family == FW_ARP : ns->bridge_nf_call_arptables == 1;

	add_line(v, "state: net.bridge.bridge-nf-call-arptables = %d in %s", ns->bridge_nf_call_arptables, ns->ref.label);
	if (known && b && !b->chain && !b->candidates)
		return unexplained(e, s, what, v);
	if (unreadable(e, s, v) && ns->bridge_nf_call_arptables == 1)
		return which_table_unknown(s, what, "arptables (br_netfilter) or a bridge-family rule", v);
	if (!by_arptables || ns->bridge_nf_call_arptables != 1) {
		bridge_family_drop(e, s, b, what, v);
		return 1;
	}
	set_cause(v, "br-netfilter-arp-drop", 1,
		  "br_netfilter passed the bridged %s to arptables (net.bridge.bridge-nf-call-arptables=1) and the FORWARD chain in %s dropped it",
		  what, ns->ref.label);
	if (b && b->chain)
		fw_blame_lines(e, b, v);
	fix_sysctl(v, s->ref, "bridged ARP skips arptables in this namespace", "net.bridge.bridge-nf-call-arptables", 0, 1);
	fix_insert_rule(v, s->ref, "keeps arptables for bridged ARP; accepts it before other FORWARD rules (legacy arptables: nft has no ARP FORWARD hook)",
			"arptables-legacy", "FORWARD", ARGV("-j", "ACCEPT"));
	if (b && b->chain)
		fw_blame_fix(v, s->ref, b);
	return 1;
}

/* A drop by the firewall of the namespace that sent or received it, or one routing it. */
static int local_drop(const struct evidence *e, const struct packet *p, const struct drop_site *s,
		      const struct fw_blame *b, int known, const char *what, struct verdict *v)
{
	int forwarded = s->fw.path == FW_PATH_FORWARDED, out = s->fw.path == FW_PATH_OUT;
	const char *chain = forwarded ? "FORWARD" : s->hook_name ? s->hook_name : out ? "OUTPUT" : "INPUT";
	int netdev = b && b->chain && b->chain->family == FW_NETDEV;

	if (known && b && !b->chain && !b->candidates)
		return unexplained(e, s, what, v);
	unreadable(e, s, v);
	if (forwarded)
		set_cause(v, "gateway-firewall-drop", 1, "the firewall of %s, which routes the %s, dropped it in its FORWARD hook",
			  s->ns ? s->ns->ref.label : "?", what);
	else if (netdev)
		set_cause(v, "ingress-firewall-drop", 1, "a netdev-family chain on %s in %s dropped the %s as it arrived",
			  b->chain->dev, s->ns ? s->ns->ref.label : "?", what);
	else
		set_cause(v, "endpoint-firewall-drop", 1, "the firewall of namespace %s dropped the %s in its %s hook",
			  s->ns ? s->ns->ref.label : "?", what, chain);
	if (b && b->chain) {
		fw_blame_lines(e, b, v);
		fw_blame_fix(v, s->ref, b);
	}
	if (p->key.proto == NSTRACE_PROTO_ARP) {
		/* ARP has its own tables: iptables rules cannot be the cause. */
		if (!(b && b->chain))
			fix_insert_rule(v, s->ref, "accepts ARP before the other rules", "arptables", chain, ARGV("-j", "ACCEPT"));
		verdict_inspect(v, s->ref, "shows the ARP rules; remove the one that drops", ARGV("nft", "list", "ruleset", "arp"));
		return 1;
	}
	if (!(b && b->chain))
		fix_insert_rule(v, s->ref, "accepts ICMP before the other rules in that chain", "iptables", chain,
				ARGV("-p", "icmp", "-j", "ACCEPT"));
	verdict_inspect(v, s->ref, "shows the rules with counters: the one whose counter grows is the one to remove",
			ARGV("iptables", "-L", chain, "-v", "-n", "--line-numbers"));
	return 1;
}

int netfilter_drop(const struct evidence *e, const struct packet *p, const struct drop_site *s,
		   const char *what, struct verdict *v)
{
	struct fw_blame b;
	int known = fw_known(e, s->ino);

	memset(&b, 0, sizeof(b));
	if (known)
		fw_blame(e, &s->fw, &b);
	if (s->fw.path == FW_PATH_BRIDGED && s->ns)
		return p->key.proto == NSTRACE_PROTO_ICMP ? bridged_ipv4(e, s, known ? &b : NULL, known, what, v) :
							     bridged_arp(e, s, known ? &b : NULL, known, what, v);
	return local_drop(e, p, s, known ? &b : NULL, known, what, v);
}

/*
 * The packet that left hook h of namespace ino as a rewrite of p: same
 * kind, id and sequence, other addresses, first seen leaving that hook just
 * after p entered it. NAT (DNAT in PREROUTING or OUTPUT, SNAT/masquerade in
 * POSTROUTING) gives it a new key, so p "entered and never left".
 */
static const struct packet *rewritten_as(const struct evidence *e, const struct packet *p, const struct nstrace_event *in)
{
	for (int i = 0; i < e->pl->n; i++) {
		const struct packet *q = &e->pl->pkts[i];
		const struct nstrace_event *first;

		if (q == p || !q->nevents || q->key.proto != p->key.proto || q->key.type != p->key.type ||
		    q->key.id != p->key.id || q->key.seq != p->key.seq ||
		    (q->key.saddr == p->key.saddr && q->key.daddr == p->key.daddr))
			continue;
		first = &e->ev[q->events[0]];
		if (first->source == NSTRACE_SRC_NF && first->nf_edge == NSTRACE_NF_LAST && first->nf_hook == in->nf_hook &&
		    first->netns_ino == in->netns_ino && first->ts_ns >= in->ts_ns && first->ts_ns - in->ts_ns < 1000000)
			return q;
	}
	return NULL;
}

int rule_nat_rewrite(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v)
{
	const struct nstrace_event *in = nf_hook_died(e, p), *drop;
	const struct packet *q;
	const struct ns_state *dns;
	char a[16], b[16], c[16], d[16], reason[64], func[96], newwhat[80];
	const char *ns;
	int dnat, r;

	if (!in || !e->pl || !(q = rewritten_as(e, p, in)))
		return 0;
	ns = label_of(e, in->netns_ino);
	dnat = q->key.daddr != p->key.daddr;
	ip_str(p->key.saddr, a, sizeof(a));
	ip_str(p->key.daddr, b, sizeof(b));
	ip_str(q->key.saddr, c, sizeof(c));
	ip_str(q->key.daddr, d, sizeof(d));
	add_line(v, "event: the %s entered netfilter %s in %s as %s > %s and left it as %s > %s (NAT)", what,
		 nf_hook_name(in->nf_hook), ns, a, b, c, d);
	/* The rewritten packet is judged as any other: a firewall that dropped it is named as usual. */
	snprintf(newwhat, sizeof(newwhat), "rewritten %s", what);
	r = rule_drop(e, q, newwhat, v);
	if (r > 0)
		return 1;
	drop = first_drop(e, q);
	if (r == 0)
		describe_last_hop(e, q, v, newwhat);
	if (drop) {
		drop_reason_str(e->nm, drop->drop_reason, reason, sizeof(reason));
		drop_location_func(e->nm, drop->location, func, sizeof(func));
		dns = ns_of(e, drop->netns_ino);
		if (dns && dns->ip_forward == 0 && (!strcmp(reason, "IP_INADDRERRORS") || !strcmp(reason, "IP_INNOROUTES")))
			add_line(v, "state: net.ipv4.ip_forward = 0 in %s: it routes nothing", label_of(e, drop->netns_ino));
		set_cause(v, "nat-rewrite", 1, "NAT in %s rewrote the %s's %s to %s, and the kernel dropped the rewritten packet (%s at %s)",
			  ns, what, dnat ? "destination" : "source", dnat ? d : c, reason, func);
	} else {
		set_cause(v, "nat-rewrite", 0, "NAT in %s rewrote the %s's %s to %s; where the rewritten packet went, the events do not show",
			  ns, what, dnat ? "destination" : "source", dnat ? d : c);
	}
	verdict_inspect(v, ref_of(e, in->netns_ino), "shows the NAT rules of iptables, nft backend or legacy",
			ARGV("iptables", "-t", "nat", "-S"));
	verdict_inspect(v, ref_of(e, in->netns_ino), "shows nftables' chains, those of type nat among them",
			ARGV("nft", "list", "ruleset"));
	return 1;
}
