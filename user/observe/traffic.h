/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* ICMP echo probes sent from inside a namespace, with an id of their own. */
#ifndef NSTRACE_OBSERVE_TRAFFIC_H
#define NSTRACE_OBSERVE_TRAFFIC_H

#include <signal.h>
#include <stdint.h>
#include <netinet/in.h>

#define PROBE_MAX_COUNT 1000
/* Receive buffer: room for this much per probe (an skb's truesize), and never less than the minimum. */
#define PROBE_RCVBUF_PER_REPLY 2048
#define PROBE_RCVBUF_MIN (256 * 1024)
/* The longest a wait for replies goes without looking at the stop flag. */
#define PROBE_STOP_SLICE_MS 50

struct prober {
	int sock;		/* raw ICMP socket, lives in the source namespace */
	uint16_t id;		/* host order */
	struct in_addr dst;
	int size;		/* ICMP payload bytes */
	int sent, received;
	int send_errno;		/* first sendto() error */
	int route_errno;	/* the route from the source's own address was refused: ping would fail to send */
	uint64_t sent_ns[PROBE_MAX_COUNT + 1];	/* by seq, CLOCK_MONOTONIC */
	uint64_t rtt_ns[PROBE_MAX_COUNT + 1];	/* 0: no reply */
};

/*
 * Opens the socket inside the namespace behind netns_fd: size payload bytes,
 * df: don't fragment. It receives only echo replies with our id, and has
 * room for count of them.
 */
int prober_open(struct prober *p, int netns_fd, struct in_addr dst, uint16_t id, int size, int df, int count);
void prober_close(struct prober *p);
/* Sends echo request seq (1-based). */
int prober_send(struct prober *p, int seq);
/*
 * Reads replies for timeout_ms, or until every probe sent so far is answered
 * when until_all, or until *stop is set (a signal: seen within
 * PROBE_STOP_SLICE_MS); returns how many new replies arrived.
 */
int prober_recv(struct prober *p, int timeout_ms, int until_all, const volatile sig_atomic_t *stop);
/* Removes dst's neighbour entry on ifindex so the next probe starts with ARP. */
int neigh_flush(int netns_fd, int ifindex, struct in_addr dst);
uint64_t monotonic_ns(void);
void sleep_ms(int ms);

#endif
