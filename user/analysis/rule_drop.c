// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Rules for a packet the kernel dropped or a netfilter hook kept. */
#include <stdio.h>
#include <string.h>
#include "analysis/drops.h"
#include "analysis/fixes.h"
#include "analysis/rules.h"
#include "model/packet.h"

/* Netfilter dropped a bridged packet that br_netfilter did not divert: the bridge family did. */
static void bridge_family_drop(struct verdict *v, const struct ns_state *ns, const char *what)
{
	set_cause(v, "bridge-firewall-drop", 1,
		  "a bridge-family firewall rule (nft bridge table or ebtables) in %s dropped the %s; br_netfilter did not pass it to iptables/arptables",
		  ns->ref.label, what);
	verdict_inspect(v, &ns->ref, "shows the bridge-family rules; remove the one that drops",
			ARGV("nft", "list", "ruleset", "bridge"));
}

/* Where and how a packet died: the kernel's drop and the hook that kept it. */
struct drop_site {
	const struct nstrace_event *drop, *hook;
	const char *hook_name;		/* the netfilter hook it never left, or NULL */
	char reason[64], func[96];
	uint32_t ino;			/* the namespace it died in */
	const struct ns_state *ns;
	const struct ns_ref *ref;
	int bridge;			/* topo index of a bridge in that namespace, -1 */
	int dev;			/* topo index of the dropping device, -1 */
};

/* Fills site from the packet's events and says what they show; 0 if nothing killed it. */
static int find_drop_site(const struct evidence *e, const struct packet *p, const char *what,
			  struct verdict *v, struct drop_site *s)
{
	memset(s, 0, sizeof(*s));
	s->drop = first_drop(e, p);
	s->hook = nf_hook_died(e, p);
	s->bridge = s->dev = -1;
	if (!s->drop && !s->hook)
		return 0;
	s->hook_name = s->hook ? nf_hook_name(s->hook->nf_hook) : NULL;
	describe_last_hop(e, p, v, what);
	if (s->hook)
		add_line(v, "event: netfilter %s in %s: entered at the first priority, never reached the last",
			 s->hook_name, label_of(e, s->hook->netns_ino));
	if (s->drop) {
		s->dev = topo_find(e->topo, s->drop->netns_ino, s->drop->ifindex);
		drop_reason_str(e->nm, s->drop->drop_reason, s->reason, sizeof(s->reason));
		drop_location_func(e->nm, s->drop->location, s->func, sizeof(s->func));
		add_line(v, "event: kfree_skb %s%s at %s (dev %s, %s)",
			 strncmp(s->reason, "reason ", 7) ? "reason " : "", s->reason, s->func,
			 s->dev >= 0 ? e->topo->ifs[s->dev].name : "?", label_of(e, s->drop->netns_ino));
	} else {
		snprintf(s->reason, sizeof(s->reason), "NETFILTER_DROP");
	}
	s->ino = s->drop ? s->drop->netns_ino : s->hook->netns_ino;
	s->ns = ns_of(e, s->ino);
	s->ref = ref_of(e, s->ino);
	for (int i = 0; i < e->topo->n; i++)
		if (e->topo->ifs[i].role == TOPO_BRIDGE && e->topo->ifs[i].netns_ino == s->ino)
			s->bridge = i;
	return 1;
}

static int tc_drop(const struct evidence *e, const struct drop_site *s, const char *what, struct verdict *v)
{
	const char *dev = s->dev >= 0 ? e->topo->ifs[s->dev].name : "DEV";

	set_cause(v, "tc-program-drop", 1, "a tc program (not nstrace's) on %s dropped the %s (%s)",
		  s->dev >= 0 ? dev : "a link", what, s->reason);
	fix_step(v, verdict_inspect(v, s->ref, "lists the tc programs and filters on that link; remove the one that drops",
				    ARGV("tc", "filter", "show", "dev", dev,
					 !strcmp(s->reason, "TC_INGRESS") ? "ingress" : "egress")),
		 s->ref, ARGV("bpftool", "net", "show"));
	return 1;
}

static int bridged_ipv4_drop(const struct evidence *e, const struct drop_site *s, const char *what,
			     struct verdict *v)
{
	const struct ns_state *ns = s->ns;
	const struct link_state *br = &e->links[s->bridge];
	const char *bname = e->topo->ifs[s->bridge].name;
	int via_sysctl = ns->bridge_nf_call_iptables == 1;
	int via_option = br->br_nf_call_iptables == 1;

	add_line(v, "state: net.bridge.bridge-nf-call-iptables = %d in %s", ns->bridge_nf_call_iptables, ns->ref.label);
	add_line(v, "state: %s nf_call_iptables = %d", bname, br->br_nf_call_iptables);
	if (ns->forward_policy[0])
		add_line(v, "state: iptables FORWARD policy %s, %d DROP/REJECT rule(s) in %s (iptables -S)",
			 ns->forward_policy, ns->forward_drop_rules, ns->ref.label);
	if (!via_sysctl && !via_option) {
		bridge_family_drop(v, ns, what);
		return 1;
	}
	set_cause(v, "br-netfilter-iptables-drop", 1,
		  "br_netfilter passed the bridged %s to iptables (%s) and a rule or the policy of the %s chain in %s dropped it",
		  what, via_sysctl ? "net.bridge.bridge-nf-call-iptables=1" : "the bridge's nf_call_iptables option",
		  s->hook_name ? s->hook_name : "FORWARD", ns->ref.label);
	if (via_sysctl)
		fix_sysctl(v, s->ref, "bridged IPv4 skips iptables on this whole namespace; Docker and kube-proxy rely on it being 1",
			   "net.bridge.bridge-nf-call-iptables", 0, 1);
	else
		fix_bridge_option(v, s->ref, "only this bridge stops sending IPv4 to iptables", bname);
	fix_insert_rule(v, s->ref, "keeps br_netfilter; accepts traffic bridged within this bridge before other FORWARD rules",
			"iptables", "FORWARD", ARGV("-i", bname, "-o", bname, "-j", "ACCEPT"));
	if (via_sysctl && via_option)
		fix_bridge_option(v, s->ref, "the bridge's own option keeps br_netfilter on for it even with the sysctl at 0",
				  bname);
	return 1;
}

static int bridged_arp_drop(const struct drop_site *s, const char *what, struct verdict *v)
{
	const struct ns_state *ns = s->ns;

	add_line(v, "state: net.bridge.bridge-nf-call-arptables = %d in %s", ns->bridge_nf_call_arptables, ns->ref.label);
	if (ns->bridge_nf_call_arptables != 1) {
		bridge_family_drop(v, ns, what);
		return 1;
	}
	set_cause(v, "br-netfilter-arp-drop", 1,
		  "br_netfilter passed the bridged %s to arptables (net.bridge.bridge-nf-call-arptables=1) and the FORWARD chain in %s dropped it",
		  what, ns->ref.label);
	fix_sysctl(v, s->ref, "bridged ARP skips arptables in this namespace", "net.bridge.bridge-nf-call-arptables", 0, 1);
	fix_insert_rule(v, s->ref, "keeps arptables for bridged ARP; accepts it before other FORWARD rules (legacy arptables: nft has no ARP FORWARD hook)",
			"arptables-legacy", "FORWARD", ARGV("-j", "ACCEPT"));
	return 1;
}

/* A drop by netfilter in a namespace that holds no bridge: an endpoint's own firewall. */
static int endpoint_drop(const struct evidence *e, const struct packet *p, const struct drop_site *s,
			 const char *what, struct verdict *v)
{
	struct in_addr sender_addr = { p->key.saddr };
	int sender = topo_find_addr(e->topo, sender_addr);
	/* Dropped where it was sent from: OUTPUT; anywhere else: INPUT. */
	const char *chain = s->hook_name ? s->hook_name :
			    sender >= 0 && e->topo->ifs[sender].netns_ino == s->ino ? "OUTPUT" : "INPUT";

	set_cause(v, "endpoint-firewall-drop", 1, "the firewall of namespace %s dropped the %s in its %s hook",
		  s->ns ? s->ns->ref.label : "?", what, chain);
	if (p->key.proto == NSTRACE_PROTO_ARP) {
		/* ARP has its own tables: iptables rules cannot be the cause. */
		fix_insert_rule(v, s->ref, "accepts ARP before the other rules", "arptables", chain, ARGV("-j", "ACCEPT"));
		verdict_inspect(v, s->ref, "shows the ARP rules; remove the one that drops", ARGV("nft", "list", "ruleset", "arp"));
		return 1;
	}
	fix_insert_rule(v, s->ref, "accepts ICMP before the other rules in that chain", "iptables", chain,
			ARGV("-p", "icmp", "-j", "ACCEPT"));
	verdict_inspect(v, s->ref, "shows the rules with counters: the one whose counter grows is the one to remove",
			ARGV("iptables", "-L", chain, "-v", "-n", "--line-numbers"));
	return 1;
}

/*
 * 1: a drop or a hook verdict explains the packet's death (v filled);
 * 0: nothing killed it; -1: the kernel dropped it for a reason no rule
 * names (v says so, inconclusive: the caller may find the cause elsewhere).
 */
int rule_drop(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v)
{
	struct drop_site s;

	if (!find_drop_site(e, p, what, v, &s))
		return 0;
	if (!strcmp(s.reason, "TC_INGRESS") || !strcmp(s.reason, "TC_EGRESS"))
		return tc_drop(e, &s, what, v);
	if (strcmp(s.reason, "NETFILTER_DROP")) {
		/* The link state may explain it (no carrier: QDISC_DROP); the caller decides. */
		set_cause(v, "kernel-drop", 0, "the kernel dropped the %s (%s) at %s; no rule here explains that reason",
			  what, s.reason, s.func);
		return -1;
	}
	if (s.bridge >= 0 && s.ns && p->key.proto == NSTRACE_PROTO_ICMP)
		return bridged_ipv4_drop(e, &s, what, v);
	if (s.bridge >= 0 && s.ns && p->key.proto == NSTRACE_PROTO_ARP)
		return bridged_arp_drop(&s, what, v);
	return endpoint_drop(e, p, &s, what, v);
}
