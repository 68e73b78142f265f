// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include "kernel/netlink_internal.h"
#include "kernel/nftables.h"

#define NFT_TYPE(msg) ((NFNL_SUBSYS_NFTABLES << 8) | (msg))

static uint32_t be32_attr(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == 4 ? ntohl(mnl_attr_get_u32(a)) : 0;
}

static uint64_t be64_attr(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == 8 ? be64toh(mnl_attr_get_u64(a)) : 0;
}

/* Attributes after the nfgenmsg header, and the family it names. */
static int parse_nft(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*g)))
		return -1;
	mnl_attr_parse(nlh, sizeof(*g), nl_attr_table_cb, tb);
	return g->nfgen_family;
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[64] = {};
	int family = parse_nft(nlh, tb);
	struct nft_table_rec *t;

	if (family < 0 || !tb[NFTA_TABLE_NAME])
		return MNL_CB_OK;
	t = nl_grow(data);
	if (!t)
		return MNL_CB_ERROR;
	t->family = family;
	nl_copy_str(t->name, sizeof(t->name), tb[NFTA_TABLE_NAME]);
	t->dormant = !!(be32_attr(tb[NFTA_TABLE_FLAGS]) & NFT_TABLE_F_DORMANT);
	return MNL_CB_OK;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[64] = {}, *hook[16] = {};
	int family = parse_nft(nlh, tb);
	struct nft_chain_rec *c;

	if (family < 0 || !tb[NFTA_CHAIN_TABLE] || !tb[NFTA_CHAIN_NAME])
		return MNL_CB_OK;
	c = nl_grow(data);
	if (!c)
		return MNL_CB_ERROR;
	c->family = family;
	c->policy = -1;
	nl_copy_str(c->table, sizeof(c->table), tb[NFTA_CHAIN_TABLE]);
	nl_copy_str(c->name, sizeof(c->name), tb[NFTA_CHAIN_NAME]);
	nl_copy_str(c->type, sizeof(c->type), tb[NFTA_CHAIN_TYPE]);
	if (!tb[NFTA_CHAIN_HOOK])
		return MNL_CB_OK;
	mnl_attr_parse_nested(tb[NFTA_CHAIN_HOOK], nl_attr_table_cb, hook);
	c->is_base = 1;
	c->hook = (int)be32_attr(hook[NFTA_HOOK_HOOKNUM]);
	c->priority = (int32_t)be32_attr(hook[NFTA_HOOK_PRIORITY]);
	nl_copy_str(c->dev, sizeof(c->dev), hook[NFTA_HOOK_DEV]);
	c->policy = tb[NFTA_CHAIN_POLICY] ? (int)be32_attr(tb[NFTA_CHAIN_POLICY]) : NF_ACCEPT;
	return MNL_CB_OK;
}

/* A final verdict in an immediate's data: drop, accept, or a jump. */
static void immediate_verdict(const struct nlattr *data, struct nft_rule_rec *r)
{
	const struct nlattr *tb[16] = {}, *d[16] = {}, *v[16] = {};
	int32_t code;

	mnl_attr_parse_nested(data, nl_attr_table_cb, tb);
	if (be32_attr(tb[NFTA_IMMEDIATE_DREG]) != NFT_REG_VERDICT || !tb[NFTA_IMMEDIATE_DATA])
		return;
	mnl_attr_parse_nested(tb[NFTA_IMMEDIATE_DATA], nl_attr_table_cb, d);
	if (!d[NFTA_DATA_VERDICT])
		return;
	mnl_attr_parse_nested(d[NFTA_DATA_VERDICT], nl_attr_table_cb, v);
	code = (int32_t)be32_attr(v[NFTA_VERDICT_CODE]);
	if (code == NF_DROP)
		r->verdict = NFT_RULE_DROP;
	else if (code == NF_ACCEPT)
		r->verdict = NFT_RULE_ACCEPT;
	else if (code == NFT_JUMP || code == NFT_GOTO || code == NFT_RETURN) {
		r->verdict = NFT_RULE_JUMP;
		nl_copy_str(r->target, sizeof(r->target), v[NFTA_VERDICT_CHAIN]);
	}
}

/* One expression of a rule: what it contributes to the rule's verdict and selection. */
static void rule_expr(const struct nlattr *elem, struct nft_rule_rec *r)
{
	const struct nlattr *e[8] = {}, *d[16] = {};
	char name[24];

	mnl_attr_parse_nested(elem, nl_attr_table_cb, e);
	nl_copy_str(name, sizeof(name), e[NFTA_EXPR_NAME]);
	if (e[NFTA_EXPR_DATA])
		mnl_attr_parse_nested(e[NFTA_EXPR_DATA], nl_attr_table_cb, d);
	if (!strcmp(name, "immediate") && e[NFTA_EXPR_DATA]) {
		immediate_verdict(e[NFTA_EXPR_DATA], r);
	} else if (!strcmp(name, "counter")) {
		r->has_counter = 1;
		r->packets = be64_attr(d[NFTA_COUNTER_PACKETS]);
	} else if (!strcmp(name, "reject")) {
		r->verdict = NFT_RULE_REJECT;
	} else if (!strcmp(name, "target")) {
		/* iptables-nft keeps xtables targets it cannot express natively, REJECT among them. */
		nl_copy_str(r->target, sizeof(r->target), d[NFTA_TARGET_NAME]);
		if (!strcmp(r->target, "REJECT"))
			r->verdict = NFT_RULE_REJECT;
	} else if (!strcmp(name, "lookup") && d[NFTA_LOOKUP_DREG] &&
		   be32_attr(d[NFTA_LOOKUP_DREG]) == NFT_REG_VERDICT) {
		r->verdict = NFT_RULE_VMAP;
	} else if (!strcmp(name, "cmp") || !strcmp(name, "lookup") || !strcmp(name, "range") ||
		   !strcmp(name, "match")) {
		r->matches++;
	}
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[64] = {}, *elem;
	int family = parse_nft(nlh, tb);
	struct nft_rule_rec *r;

	if (family < 0 || !tb[NFTA_RULE_TABLE] || !tb[NFTA_RULE_CHAIN])
		return MNL_CB_OK;
	r = nl_grow(data);
	if (!r)
		return MNL_CB_ERROR;
	r->family = family;
	nl_copy_str(r->table, sizeof(r->table), tb[NFTA_RULE_TABLE]);
	nl_copy_str(r->chain, sizeof(r->chain), tb[NFTA_RULE_CHAIN]);
	r->handle = be64_attr(tb[NFTA_RULE_HANDLE]);
	if (tb[NFTA_RULE_EXPRESSIONS])
		mnl_attr_for_each_nested(elem, tb[NFTA_RULE_EXPRESSIONS])
			if (mnl_attr_get_type(elem) == NFTA_LIST_ELEM)
				rule_expr(elem, r);
	return MNL_CB_OK;
}

static int nft_dump(struct nl *nl, int msg, mnl_cb_t cb, size_t size, void **out)
{
	struct growable g = { .size = size };

	/* nfgenmsg: family NFPROTO_UNSPEC (every family), version NFNETLINK_V0. */
	return nl_dump(nl, NFT_TYPE(msg), NFPROTO_UNSPEC, sizeof(struct nfgenmsg), cb, &g, out);
}

int nft_table_dump(struct nl *nl, struct nft_table_rec **out)
{
	return nft_dump(nl, NFT_MSG_GETTABLE, table_cb, sizeof(**out), (void **)out);
}

int nft_chain_dump(struct nl *nl, struct nft_chain_rec **out)
{
	return nft_dump(nl, NFT_MSG_GETCHAIN, chain_cb, sizeof(**out), (void **)out);
}

int nft_rule_dump(struct nl *nl, struct nft_rule_rec **out)
{
	return nft_dump(nl, NFT_MSG_GETRULE, rule_cb, sizeof(**out), (void **)out);
}
