// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <linux/filter.h>
#include <sys/socket.h>
#include "kernel/netlink.h"
#include "kernel/netns.h"
#include "observe/traffic.h"

#define PAYLOAD_MARK "nstrace probe"

uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint16_t checksum(const void *data, size_t len)
{
	const uint16_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	if (len)
		sum += *(const uint8_t *)p;
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	return (uint16_t)~sum;
}

struct icmp_open {
	int sock;
	struct in_addr dst;
	int route_errno;
};

/*
 * A raw socket belongs to the namespace it is created in: runs inside it.
 * Bound like ping binds its socket: to the source address the kernel picks
 * for dst (a UDP connect asks it). Unbound, each send is routed with no
 * source, and policy rules that match on the source ("from 10.0.0.1
 * unreachable") would let our probes through while ping's are refused.
 */
static int open_icmp_here(void *arg)
{
	struct icmp_open *o = arg;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(1025), .sin_addr = o->dst }, me;
	socklen_t len = sizeof(me);
	int udp;

	o->sock = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
	if (o->sock < 0)
		return -errno;
	udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (udp < 0)
		return 0;
	/*
	 * The kernel routes the connect twice, the second time from the source it
	 * picked, as it routes ping's: refused, ping reports "connect: No route to
	 * host" and sends nothing, and so do we.
	 */
	if (connect(udp, (struct sockaddr *)&to, sizeof(to)))
		o->route_errno = errno;
	else if (!getsockname(udp, (struct sockaddr *)&me, &len) && me.sin_addr.s_addr) {
		me.sin_port = 0;
		/* If it cannot be bound, it stays a probe routed with no source. */
		(void)bind(o->sock, (struct sockaddr *)&me, sizeof(me));
	}
	close(udp);
	return 0;
}

/*
 * A raw ICMP socket gets a copy of every ICMP packet of its namespace: under
 * someone's ping -f its queue fills with theirs and ours are dropped, so our
 * probes would look unanswered. Classic BPF keeps only echo replies with our
 * id (the kernel runs it before queueing); the buffer holds every reply of a
 * run even if we are slow to read.
 */
static int filter_replies(struct prober *p, int count)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),			/* X = IP header length */
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),			/* A = ICMP type */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ICMP_ECHOREPLY, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),			/* A = echo id */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, p->id, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };
	/* A reply costs its bytes and the kernel's bookkeeping: big probes (-s) take more room. */
	int size = count * (PROBE_RCVBUF_PER_REPLY + 2 * p->size), drained = 0;
	uint8_t buf[1500];

	if (size < PROBE_RCVBUF_MIN)
		size = PROBE_RCVBUF_MIN;
	if (setsockopt(p->sock, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return -errno;
	/* FORCE passes rmem_max (we are root); plain SO_RCVBUF is capped by it otherwise. */
	if (setsockopt(p->sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(p->sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		return -errno;
	/* Whatever was queued before the filter is someone else's. */
	while (recv(p->sock, buf, sizeof(buf), 0) > 0 && drained++ < 100000)
		;
	return 0;
}

int prober_open(struct prober *p, int netns_fd, struct in_addr dst, uint16_t id, int size, int df, int count)
{
	struct icmp_open o = { -1, dst, 0 };
	int err, pmtu = IP_PMTUDISC_DO;

	memset(p, 0, sizeof(*p));
	p->sock = -1;
	p->id = id;
	p->dst = dst;
	p->size = size;
	err = netns_call(netns_fd, open_icmp_here, &o);
	p->sock = o.sock;
	p->route_errno = o.route_errno;
	/* Like ping -M do: a probe too big for a link fails at the sender (EMSGSIZE), unfragmented. */
	if (!err && df && setsockopt(p->sock, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu)))
		err = -errno;
	if (!err)
		err = filter_replies(p, count);
	if (err)
		prober_close(p);
	return err;
}

void prober_close(struct prober *p)
{
	if (p->sock >= 0)
		close(p->sock);
	p->sock = -1;
}

int prober_send(struct prober *p, int seq)
{
	size_t len = sizeof(struct icmphdr) + (size_t)p->size;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = p->dst };
	uint8_t *pkt;
	struct icmphdr *h;
	int err = 0;

	if (seq < 1 || seq > PROBE_MAX_COUNT)
		return -ERANGE;
	pkt = calloc(1, len);
	if (!pkt)
		return -ENOMEM;
	h = (struct icmphdr *)pkt;
	h->type = ICMP_ECHO;
	h->un.echo.id = htons(p->id);
	h->un.echo.sequence = htons(seq);
	/* A mark, then a counting pattern as ping fills its payload. */
	for (int i = 0; i < p->size; i++)
		pkt[sizeof(*h) + i] = i < (int)sizeof(PAYLOAD_MARK) - 1 ? (uint8_t)PAYLOAD_MARK[i] : (uint8_t)i;
	h->checksum = checksum(pkt, len);
	p->sent_ns[seq] = monotonic_ns();
	/* A probe that could not leave still counts as sent and unanswered. */
	p->sent++;
	if (p->route_errno) {
		err = -p->route_errno;
		if (!p->send_errno)
			p->send_errno = p->route_errno;
	} else if (sendto(p->sock, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		err = -errno;
		if (!p->send_errno)
			p->send_errno = errno;
	}
	free(pkt);
	return err;
}

static int handle_reply(struct prober *p, const uint8_t *buf, ssize_t len, uint64_t now)
{
	const struct iphdr *ip = (const void *)buf;
	const struct icmphdr *icmp;
	int seq;

	if (len < (ssize_t)sizeof(*ip) || len < ip->ihl * 4 + (ssize_t)sizeof(*icmp))
		return 0;
	icmp = (const void *)(buf + ip->ihl * 4);
	if (icmp->type != ICMP_ECHOREPLY || ntohs(icmp->un.echo.id) != p->id ||
	    ip->saddr != p->dst.s_addr)
		return 0;
	seq = ntohs(icmp->un.echo.sequence);
	if (seq < 1 || seq > PROBE_MAX_COUNT || !p->sent_ns[seq] || p->rtt_ns[seq])
		return 0;
	p->rtt_ns[seq] = now - p->sent_ns[seq];
	p->received++;
	return 1;
}

int prober_recv(struct prober *p, int timeout_ms, int until_all, const volatile sig_atomic_t *stop)
{
	uint64_t deadline = monotonic_ns() + (uint64_t)timeout_ms * 1000000ull;
	int got = 0;

	for (;;) {
		uint8_t buf[1500];
		ssize_t len;
		uint64_t now = monotonic_ns(), left_ms;
		struct pollfd pfd = { .fd = p->sock, .events = POLLIN };

		while ((len = recv(p->sock, buf, sizeof(buf), 0)) > 0)
			got += handle_reply(p, buf, len, monotonic_ns());
		if (len < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (now >= deadline || (until_all && p->received == p->sent) || (stop && *stop))
			return got;
		/*
		 * In slices: a signal that lands between the check above and poll()
		 * would otherwise wait out the whole interval (up to 10 s).
		 */
		left_ms = (deadline - now) / 1000000ull + 1;
		if (poll(&pfd, 1, left_ms < PROBE_STOP_SLICE_MS ? (int)left_ms : PROBE_STOP_SLICE_MS) < 0 &&
		    errno != EINTR)
			return -errno;
	}
}

int neigh_flush(int netns_fd, int ifindex, struct in_addr dst)
{
	struct nl nl;
	int err = nl_open_in(&nl, netns_fd);

	if (!err) {
		err = nl_neigh_del(&nl, ifindex, dst);
		nl_close(&nl);
	}
	return err;
}
