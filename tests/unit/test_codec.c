// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What nstrace reads from outside, on recorded and crafted bytes: rtnetlink
 * replies (recorded here in a lab's host namespace, and broken on purpose),
 * the lab marks, the values users type, and commands quoted for a shell.
 * Run from the repository root (tests/run.sh does).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "kernel/netlink.h"
#include "lab/config.h"
#include "lab/mark.h"
#include "report/verdict.h"
#include "check.h"

#define CORPUS "tests/fuzz/corpus/"

static size_t slurp(const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 0;
	char *buf = NULL;
	int c;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF) {
		if (n == cap)
			buf = realloc(buf, cap = cap ? cap * 2 : 4096);
		buf[n++] = (char)c;
	}
	fclose(f);
	*out = buf;
	return n;
}

static const struct nl_link *by_name(const struct nl_link *l, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(l[i].name, name))
			return &l[i];
	return NULL;
}

static void recorded_replies(void)
{
	char *buf = NULL, *lbuf, *pbuf, ack[256];
	size_t len = slurp(CORPUS "fuzz_netlink_link/bridge-and-veths", &buf), split;
	const struct nl_link *br, *p1, *lo;
	struct nl_link *links;
	struct nl_addr *addrs;
	struct nl_route *routes;
	int n, nsid, oif, type, err;

	CHECK(len > 2, "recorded link dump is there");
	split = (unsigned char)buf[0] | (size_t)(unsigned char)buf[1] << 8;
	/* Replies are read in place, 4-byte aligned as recv() leaves them: each dump in a buffer of its own. */
	lbuf = malloc(split);
	pbuf = malloc(len - 2 - split);
	memcpy(lbuf, buf + 2, split);
	memcpy(pbuf, buf + 2 + split, len - 2 - split);
	n = nl_link_replay(lbuf, split, pbuf, len - 2 - split, &links);
	CHECK(n == 4, "recorded link dump: lo, the bridge and two ports");
	br = by_name(links, n, "br0");
	p1 = by_name(links, n, "veth-br1");
	lo = by_name(links, n, "lo");
	CHECK(br && !strcmp(br->kind, "bridge") && !strcmp(br->alias, "nstrace:rbt-cap:bridge n=2 subnet=10.200.0.0/24"),
	      "br0: kind bridge and its mark");
	CHECK(br && br->br.nf_call_iptables == 0 && br->port.state == -1, "br0: its own nf_call_iptables, no port state");
	CHECK(p1 && br && p1->master == br->ifindex && !strcmp(p1->kind, "veth"), "veth-br1: a veth on br0");
	CHECK(p1 && p1->port.state == 3 && p1->port.learning == 1 && p1->port.isolated == 0,
	      "veth-br1: forwarding, learning, not isolated (merged from the AF_BRIDGE dump)");
	CHECK(p1 && p1->link_netnsid >= 0 && p1->link > 0, "veth-br1: its peer in another namespace");
	CHECK(lo && lo->ifindex == 1 && !strcmp(lo->alias, "nstrace:rbt-cap:host"), "lo: index 1, the host mark");
	CHECK(br && br->group == 0 && p1->group == 0, "marked links left the build group");
	free(links);

	err = nl_link_replay(lbuf, split, NULL, 0, &links);
	CHECK(err == 4 && by_name(links, n, "veth-br1")->port.state == -1, "without the AF_BRIDGE dump: no port state");
	free(links);
	free(lbuf);
	free(pbuf);
	free(buf);

	len = slurp(CORPUS "fuzz_netlink_addr/addresses", &buf);
	n = nl_addr_replay(buf, len, &addrs);
	CHECK(n == 2, "recorded addresses: lo's and br0's (IPv4)");
	CHECK(n == 2 && addrs[1].addr.s_addr == inet_addr("10.200.0.254") && addrs[1].prefixlen == 24,
	      "br0 has 10.200.0.254/24");
	free(addrs);
	free(buf);

	len = slurp(CORPUS "fuzz_netlink_route/routes", &buf);
	n = nl_route_replay(buf, len, &routes);
	CHECK(n >= 1 && routes[0].dst.s_addr == inet_addr("10.200.0.0") && routes[0].dst_len == 24,
	      "recorded routes: 10.200.0.0/24 (unicast, main table)");
	free(routes);
	free(buf);

	len = slurp(CORPUS "fuzz_netlink_answer/route-get", &buf);
	err = nl_answer_replay(buf, len, &nsid, &oif, &type, ack, sizeof(ack));
	CHECK(!err && type == RTN_UNICAST && oif > 1, "recorded route look-up: unicast, out a link");
	free(buf);
	len = slurp(CORPUS "fuzz_netlink_answer/nsid", &buf);
	err = nl_answer_replay(buf, len, &nsid, &oif, &type, ack, sizeof(ack));
	CHECK(!err && nsid == -1, "recorded nsid of ourselves: none assigned (-1)");
	free(buf);
	len = slurp(CORPUS "fuzz_netlink_answer/error-ext-ack", &buf);
	err = nl_answer_replay(buf, len, &nsid, &oif, &type, ack, sizeof(ack));
	CHECK(err == -EOPNOTSUPP, "recorded error: EOPNOTSUPP");
	CHECK_STR(ack, "Unknown device type", "recorded error: the kernel's extended-ACK text");
	free(buf);
}

/* One message of type, header hdr (hdrlen bytes), then attributes added by the caller. */
static struct nlmsghdr *msg(char *buf, int type, const void *hdr, size_t hdrlen)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);

	h->nlmsg_type = type;
	memcpy(mnl_nlmsg_put_extra_header(h, hdrlen), hdr, hdrlen);
	return h;
}

static void broken_replies(void)
{
	static char buf[1024] __attribute__((aligned(4)));
	struct ifinfomsg ifi = { .ifi_index = 5 };
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 5 };
	struct rtmsg rtm = { .rtm_family = AF_INET, .rtm_dst_len = 24, .rtm_type = RTN_UNICAST };
	struct nl_link *links;
	struct nl_addr *addrs;
	struct nl_route *routes;
	struct nlmsghdr *h;
	struct nlmsgerr *e;
	int nsid, oif, type;
	char ack[64];

	h = msg(buf, RTM_NEWLINK, &ifi, sizeof(ifi));
	mnl_attr_put(h, IFLA_IFNAME, 4, "eth0");	/* no NUL */
	CHECK(nl_link_replay(buf, h->nlmsg_len, NULL, 0, &links) == -EBADMSG, "IFLA_IFNAME without its NUL: EBADMSG");
	h = msg(buf, RTM_NEWLINK, &ifi, sizeof(ifi));
	mnl_attr_put_u16(h, IFLA_MASTER, 3);		/* a u32 */
	CHECK(nl_link_replay(buf, h->nlmsg_len, NULL, 0, &links) == -EBADMSG, "IFLA_MASTER of 2 bytes: EBADMSG");
	h = msg(buf, RTM_NEWLINK, &ifi, sizeof(ifi));
	mnl_attr_put_strz(h, IFLA_IFNAME, "eth0");
	mnl_attr_put(h, IFLA_ADDRESS, 4, "\x01\x02\x03\x04");
	CHECK(nl_link_replay(buf, h->nlmsg_len, NULL, 0, &links) == 1 && !links[0].mac[0] && links[0].ifindex == 5,
	      "a 4-byte IFLA_ADDRESS (a tunnel): the link, no MAC");
	free(links);
	h = msg(buf, RTM_NEWLINK, &ifi, 8);		/* shorter than an ifinfomsg */
	CHECK(nl_link_replay(buf, h->nlmsg_len, NULL, 0, &links) == -EBADMSG, "a link message shorter than its header: EBADMSG");
	h = msg(buf, RTM_NEWLINK, &ifi, sizeof(ifi));
	h->nlmsg_flags |= NLM_F_DUMP_INTR;
	CHECK(nl_link_replay(buf, h->nlmsg_len, NULL, 0, &links) == -EINTR, "NLM_F_DUMP_INTR: EINTR (the dump is asked again)");
	h = msg(buf, RTM_NEWLINK, &ifi, sizeof(ifi));
	h->nlmsg_len = 0x80000010;
	CHECK(nl_link_replay(buf, 64, NULL, 0, &links) == -EBADMSG, "a message length of 2^31: EBADMSG, no walk off the buffer");

	h = msg(buf, RTM_NEWADDR, &ifa, sizeof(ifa));
	mnl_attr_put(h, IFA_LOCAL, 2, "\x0a\x00");
	CHECK(nl_addr_replay(buf, h->nlmsg_len, &addrs) == -EBADMSG, "IFA_LOCAL of 2 bytes: EBADMSG");
	h = msg(buf, RTM_NEWROUTE, &rtm, sizeof(rtm));
	mnl_attr_put(h, RTA_DST, 2, "\x0a\x00");
	CHECK(nl_route_replay(buf, h->nlmsg_len, &routes) == -EBADMSG, "RTA_DST of 2 bytes: EBADMSG, never copied");
	h = msg(buf, RTM_NEWROUTE, &rtm, sizeof(rtm));
	mnl_attr_put(h, RTA_DST, 16, "0123456789abcdef");
	CHECK(nl_route_replay(buf, h->nlmsg_len, &routes) == -EBADMSG, "RTA_DST of 16 bytes in an IPv4 route: EBADMSG");

	h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = NLMSG_ERROR;
	e = mnl_nlmsg_put_extra_header(h, sizeof(*e));
	e->error = -2147483647 - 1;
	CHECK(nl_answer_replay(buf, h->nlmsg_len, &nsid, &oif, &type, ack, sizeof(ack)) == -EBADMSG,
	      "an error of INT_MIN: EBADMSG");
	e->error = -ENOENT;
	h->nlmsg_flags = NLM_F_ACK_TLVS;
	e->msg.nlmsg_len = 0xffff;			/* the echoed request, longer than the message */
	CHECK(nl_answer_replay(buf, h->nlmsg_len, &nsid, &oif, &type, ack, sizeof(ack)) == -ENOENT && !ack[0],
	      "an error whose echoed request overruns: the error, no extended ACK read");
}

static void marks(void)
{
	struct bridge_mark m = { 3, {}, { 4242, 987654321ull } }, back;
	char buf[256];

	cidr_parse("10.200.0.0/24", &m.subnet);
	CHECK(!mark_format_bridge(buf, sizeof(buf), "demo", &m), "bridge mark with an owner fits");
	CHECK_STR(buf, "nstrace:demo:bridge n=3 subnet=10.200.0.0/24 owner=4242:987654321", "bridge mark text");
	CHECK(!mark_parse_bridge(buf, "demo", &back) && back.namespaces == 3 && back.owner.pid == 4242 &&
	      back.owner.start == 987654321ull && back.subnet.prefixlen == 24, "bridge mark parses back");
	CHECK(!mark_parse_bridge("nstrace:demo:bridge n=2 subnet=10.200.0.0/24", "demo", &back) && !back.owner.pid,
	      "a mark without owner: nobody's");
	CHECK(!mark_parse_bridge("nstrace:demo:bridge subnet=10.200.0.0/24 n=2 future=1", "demo", &back),
	      "fields in any order, unknown ones skipped");
	CHECK(mark_parse_bridge("nstrace:demo:bridge n=2 subnet=10.200.0.0/24", "demo2", &back), "another lab's mark");
	CHECK(mark_parse_bridge("nstrace:demo:bridgex n=2 subnet=10.200.0.0/24", "demo", &back), "another role");
	CHECK(mark_parse_bridge("nstrace:demo:bridge n=+2 subnet=10.200.0.0/24", "demo", &back), "n=+2 refused");
	CHECK(mark_parse_bridge("nstrace:demo:bridge n=251 subnet=10.200.0.0/24", "demo", &back), "n=251 refused");
	CHECK(mark_parse_bridge("nstrace:demo:bridge n=0 subnet=10.200.0.0/24", "demo", &back), "n=0 refused");
	CHECK(mark_parse_bridge("nstrace:demo:bridge n=2 subnet=10.200.0.1/24", "demo", &back), "host bits refused");
	CHECK(mark_parse_bridge("nstrace:demo:bridge n=2", "demo", &back), "no subnet refused");
	CHECK(mark_parse_bridge("nstrace:demo:bridge n=2 subnet=10.200.0.0/24 owner=0:5", "demo", &back), "owner 0 refused");
	CHECK(mark_parse_bridge("nstrace:demo:bridge n=2 subnet=10.200.0.0/24 owner=12", "demo", &back),
	      "owner without start time refused");
	CHECK(mark_build_group("demo") && mark_is_build_group(mark_build_group("demo")) &&
	      mark_build_group("demo") != mark_build_group("demo2") && !mark_is_build_group(0),
	      "build groups: never 0, told apart, per lab");
}

static void values(void)
{
	struct lab_config cfg;
	char msg[256], port[32];

	lab_config_default(&cfg);
	CHECK(!lab_config_validate(&cfg, msg, sizeof(msg)), "the tutorial's lab is valid");
	CHECK(ifname_validate("br:0", 1, msg, sizeof(msg)) && strstr(msg, "'br:0'") && strstr(msg, "no '/' or ':'"),
	      "br:0: named, with the rule");
	CHECK(ifname_validate("..", 0, msg, sizeof(msg)) && ifname_validate("", 0, msg, sizeof(msg)) &&
	      ifname_validate("a b", 0, msg, sizeof(msg)) && ifname_validate("0123456789abcdef", 0, msg, sizeof(msg)),
	      "'..', empty, a space, 16 bytes: refused");
	CHECK(!ifname_validate("b;$(x)`y`'\"", 0, msg, sizeof(msg)), "shell metacharacters are a valid interface name");
	CHECK(ifname_validate("br%d", 1, msg, sizeof(msg)) && !ifname_validate("br%d", 0, msg, sizeof(msg)),
	      "'%' refused only for a name we create");
	snprintf(cfg.bridge, sizeof(cfg.bridge), "lo");
	CHECK(lab_config_validate(&cfg, msg, sizeof(msg)) && strstr(msg, "loopback"), "bridge lo refused");
	snprintf(cfg.bridge, sizeof(cfg.bridge), "veth-br2");
	CHECK(lab_config_validate(&cfg, msg, sizeof(msg)) && strstr(msg, "port for ns2"), "bridge named like port 2 refused");
	snprintf(cfg.name, sizeof(cfg.name), "a-very-long-lab-name-of-32-chars");
	cfg.isolated = 0;
	lab_port_name(&cfg, 250, port, sizeof(port));
	CHECK(strlen(port) < IFNAMSIZ && !strncmp(port, "nst", 3), "a long lab's ports are hashed to fit");
	for (const char *bad[] = { "0.0.0.0/0", "10.0.0.0/7", "10.0.0.0/31", "127.0.0.0/24", "169.254.0.0/16",
				   "224.0.0.0/24", "240.0.0.0/8", "0.1.0.0/16", "169.0.0.0/8", NULL }, **b = bad; *b; b++) {
		struct cidr c;
		char name[64];

		cidr_parse(*b, &c);
		snprintf(name, sizeof(name), "subnet %s refused", *b);
		CHECK(subnet_validate(&c, msg, sizeof(msg)) && strstr(msg, *b), name);
	}
	{
		struct cidr c;

		cidr_parse("100.64.0.0/10", &c);
		CHECK(!subnet_validate(&c, msg, sizeof(msg)), "subnet 100.64.0.0/10 (shared address space) allowed");
	}
}

static void quoting(void)
{
	struct ns_ref ref = { .via = NS_VIA_NAME, .arg = "h;$(touch q)`x` 'y\"" };
	struct command c;
	char buf[CMD_TEXT_MAX];

	CHECK_STR(shell_quote("abc-1.2/x", buf, sizeof(buf)), "abc-1.2/x", "plain words stay bare");
	CHECK_STR(shell_quote("", buf, sizeof(buf)), "''", "the empty word");
	CHECK_STR(shell_quote("it's", buf, sizeof(buf)), "'it'\\''s'", "a quote inside");
	CHECK_STR(shell_quote("'", buf, sizeof(buf)), "\\'", "a quote alone: no empty ''");
	CHECK_STR(shell_quote("'a'", buf, sizeof(buf)), "\\''a'\\'", "quotes around");
	CHECK_STR(shell_quote("$(x)`y`", buf, sizeof(buf)), "'$(x)`y`'", "substitutions quoted");
	CHECK(!shell_quote("a b", buf, 4), "too small a buffer: NULL, never cut");
	CHECK(!command_set(&c, &ref, ARGV("ip", "link", "set", "dev", "`touch r`", "up")) &&
	      command_str(&c, buf, sizeof(buf)), "a hostile command fits");
	CHECK_STR(buf, "ip netns exec 'h;$(touch q)`x` '\\''y\"' ip link set dev '`touch r`' up", "a hostile command, quoted");
	c.ns.via = NS_VIA_PATH;
	snprintf(c.ns.arg, sizeof(c.ns.arg), "/run/x y");
	command_str(&c, buf, sizeof(buf));
	CHECK_STR(buf, "nsenter '--net=/run/x y' ip link set dev '`touch r`' up", "a path, quoted whole");
}

int main(void)
{
	recorded_replies();
	broken_replies();
	marks();
	values();
	quoting();
	return check_summary();
}
