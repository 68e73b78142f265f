/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the observers report, decided inside the BPF programs (filtered-out packets cost no event). */
#ifndef NSTRACE_OBSERVE_FILTER_H
#define NSTRACE_OBSERVE_FILTER_H

#include <stdint.h>
#include <arpa/inet.h>
#include "nstrace/event.h"

/* A link to observe: the namespace fd is the caller's and stays open while observed. */
struct observe_link {
	int netns_fd;
	uint32_t netns_ino;
	int ifindex;
};

#define OBSERVE_PROTO_ARP (1u << NSTRACE_PROTO_ARP)
#define OBSERVE_PROTO_ICMP (1u << NSTRACE_PROTO_ICMP)

struct observe_filter {
	uint32_t host;		/* network order: sender or target address; 0: any */
	uint16_t icmp_id;	/* host order; ICMP only, when has_icmp_id */
	int has_icmp_id;
	unsigned int protos;	/* OBSERVE_PROTO_*; 0: both */
};

/* The same settings in every object's rodata (each object has its own copy). */
#define OBSERVE_SET_RODATA(rodata, f, wake) do {						\
		(rodata)->filter_host = (f)->host;						\
		(rodata)->filter_icmp_id = htons((f)->icmp_id);					\
		(rodata)->filter_has_icmp_id = !!(f)->has_icmp_id;				\
		(rodata)->filter_protos = (f)->protos ? (f)->protos :				\
					  OBSERVE_PROTO_ARP | OBSERVE_PROTO_ICMP;		\
		(rodata)->ringbuf_wake_bytes = (wake);						\
	} while (0)

#endif
