/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A probe flow and what the prober measured of it. */
#ifndef NSTRACE_MODEL_FLOW_H
#define NSTRACE_MODEL_FLOW_H

#include <stdint.h>
#include <netinet/in.h>

struct flow {
	int src;		/* topo index of the sending interface */
	struct in_addr dst;
	int sent, received;
	int send_errno;		/* first sendto() error, 0 if none */
	uint16_t icmp_id;	/* host order */
	int size;		/* ICMP payload bytes of each request (0: unknown, as in passive mode) */
};

/* Payload bytes of an echo request, as ping sends by default. */
#define PROBE_DEFAULT_SIZE 56
/* The largest ICMP payload an IPv4 packet can carry. */
#define PROBE_MAX_SIZE 65507

/* How the probes are sent: like ping -c COUNT -i INTERVAL -s SIZE [-M do]. */
struct probe_params {
	int count, interval_ms;
	int size;		/* ICMP payload bytes */
	int df;			/* don't fragment: too big for a link is an error at the sender */
};

struct probe_summary {
	int sent, received;
	uint64_t rtt_min_ns, rtt_avg_ns, rtt_max_ns;
	uint16_t id;		/* host order; 0 in passive mode */
	int send_errno;		/* first sendto() error */
};

#endif
