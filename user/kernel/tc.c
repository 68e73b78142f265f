// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_bpf.h>
#include <linux/pkt_cls.h>
#include "kernel/netlink_internal.h"
#include "kernel/tc.h"

/* tcx attach types (Linux 6.6): the installed UAPI headers predate them. */
#define NSTRACE_BPF_TCX_INGRESS 46
#define NSTRACE_BPF_TCX_EGRESS 47

struct filter_walk {
	int count;
	char first[48];
	int pref;
};

static int filter_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {}, *opt[64] = {};
	struct filter_walk *w = data;
	char kind[16], name[32] = "";

	if (nlh->nlmsg_type != RTM_NEWTFILTER || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*tcm)))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*tcm), nl_attr_table_cb, tb);
	/* A filter's chain head comes without TCA_OPTIONS; count installed filters only. */
	if (!tb[TCA_KIND] || !tb[TCA_OPTIONS])
		return MNL_CB_OK;
	nl_copy_str(kind, sizeof(kind), tb[TCA_KIND]);
	if (!strcmp(kind, "bpf")) {
		mnl_attr_parse_nested(tb[TCA_OPTIONS], nl_attr_table_cb, opt);
		nl_copy_str(name, sizeof(name), opt[TCA_BPF_NAME]);
	}
	if (!w->count++) {
		snprintf(w->first, sizeof(w->first), "%s%s%s", kind, name[0] ? " " : "", name);
		w->pref = (int)(TC_H_MAJ(tcm->tcm_info) >> 16);
	}
	return MNL_CB_OK;
}

static int count_filters(struct nl *nl, int ifindex, int egress, struct filter_walk *w)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm;

	nlh->nlmsg_type = RTM_GETTFILTER;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_MAKE(TC_H_CLSACT, egress ? TC_H_MIN_EGRESS : TC_H_MIN_INGRESS);
	memset(w, 0, sizeof(*w));
	return nl_exchange(nl, nlh, filter_cb, w);
}

/* BPF_PROG_QUERY on a tcx hook; the UAPI union is laid out by hand (libbpf 1.1 predates tcx). */
static int tcx_count(int ifindex, int attach_type)
{
	union {
		struct {
			__u32 target_ifindex;
			__u32 attach_type;
			__u32 query_flags;
			__u32 attach_flags;
			__aligned_u64 prog_ids;
			__u32 prog_cnt;
		} q;
		char pad[128];
	} attr;

	memset(&attr, 0, sizeof(attr));
	attr.q.target_ifindex = ifindex;
	attr.q.attach_type = attach_type;
	if (syscall(__NR_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)))
		return 0;	/* no tcx on this kernel, or nothing there */
	return (int)attr.q.prog_cnt;
}

int tc_link_read(struct nl *nl, int ifindex, struct tc_link_info *out)
{
	struct filter_walk w;
	int err;

	memset(out, 0, sizeof(*out));
	for (int dir = 0; dir < 2; dir++) {
		err = count_filters(nl, ifindex, dir, &w);
		/* No clsact/ingress qdisc: no filters to find, not an error. */
		if (err && err != -EINVAL && err != -ENOENT)
			return err;
		out->filters[dir] = err ? 0 : w.count;
		snprintf(out->first[dir], sizeof(out->first[dir]), "%s", err ? "" : w.first);
		out->first_pref[dir] = err ? 0 : w.pref;
		out->tcx_progs[dir] = tcx_count(ifindex, dir ? NSTRACE_BPF_TCX_EGRESS : NSTRACE_BPF_TCX_INGRESS);
	}
	return 0;
}
