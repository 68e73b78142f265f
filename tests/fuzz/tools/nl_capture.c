// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Records rtnetlink replies of the namespace it runs in, as recv() returns
 * them, into seed files for the fuzz targets (tests/fuzz/corpus/TARGET/):
 *   nl_capture DIR      (run it inside a namespace with a bridge and veths)
 * Not a fuzz target itself: tests/fuzz/tools/ is not built by 'make fuzz'.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

struct blob {
	char *data;
	size_t len;
};

/* Sends the request and keeps every reply until DONE or an error/ACK. */
static int capture(struct mnl_socket *nl, struct nlmsghdr *req, struct blob *out)
{
	char buf[32768];
	int done = 0;

	req->nlmsg_seq = (unsigned int)time(NULL) + rand();
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -errno;
	while (!done) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		const struct nlmsghdr *h = (const void *)buf;
		int len = (int)n;

		if (n <= 0)
			return -errno;
		out->data = realloc(out->data, out->len + n);
		memcpy(out->data + out->len, buf, n);
		out->len += n;
		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len))
			done |= h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR;
	}
	return 0;
}

static struct nlmsghdr *request(char *buf, int type, int flags, size_t hdr, int family)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;

	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(h, hdr);
	g->rtgen_family = family;
	return h;
}

static void save(const char *dir, const char *target, const char *name, const void *prefix, size_t plen,
		 const struct blob *a, const struct blob *b)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(prefix, 1, plen, f);
	fwrite(a->data, 1, a->len, f);
	if (b)
		fwrite(b->data, 1, b->len, f);
	fclose(f);
	printf("%s: %zu bytes\n", path, plen + a->len + (b ? b->len : 0));
}

int main(int argc, char **argv)
{
	struct blob links = {}, ports = {}, addrs = {}, routes = {}, nsid = {}, rget = {}, err = {};
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	char buf[1024];
	unsigned char split[2];
	struct in_addr dst;
	int one = 1, fd;

	if (argc != 2 || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "usage: nl_capture DIR (inside the namespace to record)\n");
		return 2;
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	capture(nl, request(buf, RTM_GETLINK, NLM_F_DUMP, sizeof(struct ifinfomsg), AF_UNSPEC), &links);
	capture(nl, request(buf, RTM_GETLINK, NLM_F_DUMP, sizeof(struct ifinfomsg), AF_BRIDGE), &ports);
	capture(nl, request(buf, RTM_GETADDR, NLM_F_DUMP, sizeof(struct ifaddrmsg), AF_INET), &addrs);
	capture(nl, request(buf, RTM_GETROUTE, NLM_F_DUMP, sizeof(struct rtmsg), AF_INET), &routes);
	fd = open("/proc/self/ns/net", O_RDONLY);
	mnl_attr_put_u32(request(buf, RTM_GETNSID, NLM_F_ACK, sizeof(struct rtgenmsg), AF_UNSPEC), NETNSA_FD, fd);
	capture(nl, (struct nlmsghdr *)buf, &nsid);
	inet_pton(AF_INET, "10.200.0.2", &dst);
	{
		struct nlmsghdr *h = request(buf, RTM_GETROUTE, NLM_F_ACK, sizeof(struct rtmsg), AF_INET);
		struct rtmsg *rtm = mnl_nlmsg_get_payload(h);

		rtm->rtm_dst_len = 32;
		mnl_attr_put(h, RTA_DST, 4, &dst);
		capture(nl, h, &rget);
	}
	{
		/* An error with the kernel's extended-ACK text: a link of a kind that does not exist. */
		struct nlmsghdr *h = request(buf, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
					     sizeof(struct ifinfomsg), AF_UNSPEC);
		struct nlattr *li = mnl_attr_nest_start(h, IFLA_LINKINFO);

		mnl_attr_put_strz(h, IFLA_INFO_KIND, "no-such-kind");
		mnl_attr_nest_end(h, li);
		mnl_attr_put_strz(h, IFLA_IFNAME, "capture0");
		capture(nl, h, &err);
	}
	split[0] = links.len & 0xff;
	split[1] = links.len >> 8;
	if (links.len > 0xffff) {
		fprintf(stderr, "link dump over 64 KiB: record in a smaller namespace\n");
		return 1;
	}
	save(argv[1], "fuzz_netlink_link", "bridge-and-veths", split, 2, &links, &ports);
	save(argv[1], "fuzz_netlink_addr", "addresses", NULL, 0, &addrs, NULL);
	save(argv[1], "fuzz_netlink_route", "routes", NULL, 0, &routes, NULL);
	save(argv[1], "fuzz_netlink_answer", "nsid", NULL, 0, &nsid, NULL);
	save(argv[1], "fuzz_netlink_answer", "route-get", NULL, 0, &rget, NULL);
	save(argv[1], "fuzz_netlink_answer", "error-ext-ack", NULL, 0, &err, NULL);
	mnl_socket_close(nl);
	return 0;
}
