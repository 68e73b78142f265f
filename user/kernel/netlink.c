// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/if_bridge.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include "kernel/netlink.h"
#include "kernel/netlink_internal.h"
#include "kernel/netns.h"


static int open_bus(struct nl *nl, int bus)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(bus);
	if (!nl->sock)
		return -errno;
	/* Ask for the kernel's reason text on errors; old kernels ignore it. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return 0;
}

int nl_open(struct nl *nl)
{
	return open_bus(nl, NETLINK_ROUTE);
}

static int open_here(void *nl)
{
	return nl_open(nl);
}

int nl_open_netfilter(struct nl *nl)
{
	return open_bus(nl, NETLINK_NETFILTER);
}

static int open_netfilter_here(void *nl)
{
	return nl_open_netfilter(nl);
}

int nl_open_in(struct nl *nl, int netns_fd)
{
	memset(nl, 0, sizeof(*nl));
	return netns_call(netns_fd, open_here, nl);
}

int nl_open_netfilter_in(struct nl *nl, int netns_fd)
{
	memset(nl, 0, sizeof(*nl));
	return netns_call(netns_fd, open_netfilter_here, nl);
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

/* libmnl hands every callback the same data pointer: carry both the socket and the caller's. */
struct exchange {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
};

static int ext_ack_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(nl->ext_ack, sizeof(nl->ext_ack), "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/* Keep the kernel's extended-ACK text, then turn the error into errno. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct exchange *x = data;
	size_t off = sizeof(*err), payload = mnl_nlmsg_get_payload_len(nlh);

	if (payload < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		/* Uncapped, the request comes back first: skip it, if its length is one. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off = err->msg.nlmsg_len >= sizeof(struct nlmsghdr) &&
			      err->msg.nlmsg_len - sizeof(struct nlmsghdr) <= payload - off ?
			      off + MNL_ALIGN(err->msg.nlmsg_len - sizeof(struct nlmsghdr)) : payload + 1;
		if (off <= payload)
			mnl_attr_parse(nlh, off, ext_ack_cb, x->nl);
	}
	if (err->error < 0) {
		/* An errno, or nonsense (INT_MIN does not even negate). */
		errno = err->error >= -4095 ? -err->error : EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct exchange *x = data;

	return x->cb ? x->cb(nlh, x->data) : MNL_CB_OK;
}

static mnl_cb_t control_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

/*
 * After a failed dump its rest would still arrive, and the next request on
 * this socket would read it as its own answer (and fail): read it away.
 */
static void drain_dump(struct nl *nl, char *buf)
{
	for (int rounds = 0; rounds < 1024; rounds++) {
		ssize_t n = recv(mnl_socket_get_fd(nl->sock), buf, NL_BUF_SIZE, MSG_DONTWAIT);
		const struct nlmsghdr *h = (const void *)buf;
		int len = (int)n;

		if (n <= 0)
			return;
		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len))
			if (h->nlmsg_seq == nl->seq && (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR))
				return;
	}
}

/*
 * Every message lies within the buffer, padding included. libmnl's
 * mnl_nlmsg_ok() compares the length as an int (2^31 and more pass as
 * negative), and its attribute walk runs to the aligned end of a message.
 */
static int frames_ok(const void *buf, size_t len)
{
	const char *p = buf;

	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const void *)p;
		size_t step = MNL_ALIGN((size_t)h->nlmsg_len);

		if (h->nlmsg_len < sizeof(*h) || step > len)
			return 0;
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 1;
}

/* One recv()'s worth of replies through cb; libmnl's verdict (MNL_CB_*), errno on error. */
static int run_replies(struct nl *nl, const void *buf, size_t len, unsigned int seq, mnl_cb_t cb, void *data)
{
	struct exchange x = { nl, cb, data };

	if (!frames_ok(buf, len)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return mnl_cb_run2(buf, len, seq, nl->portid, data_cb, &x, control_cbs, NLMSG_MIN_TYPE);
}

int nl_replay(struct nl *nl, const void *buf, size_t len, mnl_cb_t cb, void *data)
{
	int ret;

	nl->ext_ack[0] = '\0';
	errno = 0;
	ret = run_replies(nl, buf, len, 0, cb, data);
	return ret < 0 ? -(errno ? errno : EBADMSG) : 0;
}

/* Send one request and run cb over every reply until ACK/DONE. */
int nl_exchange(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char *buf;
	int ret;

	nl->ext_ack[0] = '\0';
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	buf = malloc(NL_BUF_SIZE);
	if (!buf)
		return -ENOMEM;
	do {
		ret = mnl_socket_recvfrom(nl->sock, buf, NL_BUF_SIZE);
		if (ret < 0)
			break;
		errno = 0;
		ret = run_replies(nl, buf, ret, nl->seq, cb, data);
	} while (ret > 0);
	if (ret < 0) {
		ret = errno ? -errno : -EBADMSG;
		if (nlh->nlmsg_flags & NLM_F_DUMP)
			drain_dump(nl, buf);
	}
	free(buf);
	return ret < 0 ? ret : 0;
}

struct nlmsghdr *nl_put_header(char *buf, int type, int flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return nlh;
}

struct ifinfomsg *nl_put_ifinfo(struct nlmsghdr *nlh, int ifindex)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return ifi;
}

static int put_name_alias(struct nlmsghdr *nlh, size_t size, const char *name, const char *alias)
{
	if (name && !mnl_attr_put_strz_check(nlh, size, IFLA_IFNAME, name))
		return -EMSGSIZE;
	if (alias && !mnl_attr_put_strz_check(nlh, size, IFLA_IFALIAS, alias))
		return -EMSGSIZE;
	return 0;
}

int nl_bridge_create(struct nl *nl, const char *name, uint32_t group)
{
	char buf[1024];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *linkinfo;

	nl_put_ifinfo(nlh, 0);
	if (put_name_alias(nlh, sizeof(buf), name, NULL))
		return -EMSGSIZE;
	if (group)
		mnl_attr_put_u32(nlh, IFLA_GROUP, group);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, linkinfo);
	return nl_exchange(nl, nlh, NULL, NULL);
}

/*
 * One message makes both ends: this end enslaved and up, the peer created
 * straight inside its namespace. The peer cannot be brought up in the same
 * message (ENOTCONN): the caller does that from the peer's namespace.
 */
int nl_veth_create(struct nl *nl, const char *name, uint32_t group, int master,
		   const char *peer, int peer_netns_fd)
{
	char buf[2048];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = nl_put_ifinfo(nlh, 0);
	struct nlattr *linkinfo, *data, *peer_nest;
	struct ifinfomsg *peer_ifi;

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (put_name_alias(nlh, sizeof(buf), name, NULL))
		return -EMSGSIZE;
	if (group)
		mnl_attr_put_u32(nlh, IFLA_GROUP, group);
	if (master > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	peer_ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*peer_ifi));
	peer_ifi->ifi_family = AF_UNSPEC;
	if (put_name_alias(nlh, sizeof(buf), peer, NULL))
		return -EMSGSIZE;
	if (peer_netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, peer_netns_fd);
	mnl_attr_nest_end(nlh, peer_nest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return nl_exchange(nl, nlh, NULL, NULL);
}

int nl_link_set_up(struct nl *nl, int ifindex, int up)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = nl_put_ifinfo(nlh, ifindex);

	ifi->ifi_flags = up ? IFF_UP : 0;
	ifi->ifi_change = IFF_UP;
	return nl_exchange(nl, nlh, NULL, NULL);
}

int nl_link_set_master(struct nl *nl, int ifindex, int master)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_NEWLINK, 0);

	nl_put_ifinfo(nlh, ifindex);
	mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	return nl_exchange(nl, nlh, NULL, NULL);
}

int nl_link_set_alias(struct nl *nl, int ifindex, const char *alias)
{
	char buf[512];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_NEWLINK, 0);

	nl_put_ifinfo(nlh, ifindex);
	if (put_name_alias(nlh, sizeof(buf), NULL, alias))
		return -EMSGSIZE;
	return nl_exchange(nl, nlh, NULL, NULL);
}

int nl_link_mark(struct nl *nl, int ifindex, const char *alias, int up)
{
	char buf[512];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = nl_put_ifinfo(nlh, ifindex);

	if (up) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	if (put_name_alias(nlh, sizeof(buf), NULL, alias))
		return -EMSGSIZE;
	/* The creation tag has done its job once the mark is on: back to the default group. */
	mnl_attr_put_u32(nlh, IFLA_GROUP, 0);
	return nl_exchange(nl, nlh, NULL, NULL);
}

int nl_link_mark_up(struct nl *nl, int ifindex, const char *alias)
{
	return nl_link_mark(nl, ifindex, alias, 1);
}

int nl_link_del(struct nl *nl, int ifindex)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_DELLINK, 0);

	nl_put_ifinfo(nlh, ifindex);
	return nl_exchange(nl, nlh, NULL, NULL);
}

static int addr_request(struct nl *nl, int type, int flags, int ifindex,
			struct in_addr addr, int prefixlen)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, type, flags);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(addr), &addr);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(addr), &addr);
	return nl_exchange(nl, nlh, NULL, NULL);
}

int nl_addr_add(struct nl *nl, int ifindex, struct in_addr addr, int prefixlen)
{
	return addr_request(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, addr, prefixlen);
}

int nl_addr_del(struct nl *nl, int ifindex, struct in_addr addr, int prefixlen)
{
	return addr_request(nl, RTM_DELADDR, 0, ifindex, addr, prefixlen);
}

int nl_neigh_del(struct nl *nl, int ifindex, struct in_addr addr)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_DELNEIGH, 0);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	int err;

	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = ifindex;
	mnl_attr_put(nlh, NDA_DST, sizeof(addr), &addr);
	err = nl_exchange(nl, nlh, NULL, NULL);
	return err == -ENOENT ? 0 : err;
}
