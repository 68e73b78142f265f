// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writes seed inputs for fuzz_events: the state bytes, then events as the
 * observers report a ping across the canned lab (ARP, echo request and
 * reply through every hop), and one whose request is dropped in FORWARD.
 * ifindex holds the topology index, as fuzz_events maps it.
 *   events_seed DIR
 */
#include <stdio.h>
#include <string.h>
#include "canned.h"

#define NNS 3

static struct topo_if ifs[1 + 2 * NNS];

static struct nstrace_event at(const struct topo *t, struct nstrace_event e, int idx, int dir, uint64_t ts)
{
	e = tc(t, e, idx, dir, ts);
	e.ifindex = idx;
	return e;
}

static void write_seed(const char *dir, const char *name, const unsigned char state[16],
		       const struct nstrace_event *ev, int n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return;
	}
	fwrite(state, 1, 16, f);
	fwrite(ev, sizeof(*ev), n, f);
	fclose(f);
}

int main(int argc, char **argv)
{
	struct topo t = canned_lab(ifs, NNS, BR_IFINDEX);
	unsigned char healthy[16], broken[16];
	struct nstrace_event ev[32];
	int n = 0, hops[] = { END(1), PORT(1), PORT(2), END(2) };

	if (argc != 2)
		return 2;
	memset(healthy, 0xff, sizeof(healthy));
	memset(broken, 0xff, sizeof(broken));
	broken[0] = 0x07;	/* host: br_netfilter on */
	for (int i = 0; i < 4; i++)
		ev[n++] = at(&t, arp(1, "10.200.0.1", "10.200.0.2"), hops[i], i % 2 ? IN : EG, (1 + i) * MS);
	for (int i = 3; i >= 0; i--)
		ev[n++] = at(&t, arp(2, "10.200.0.2", "10.200.0.1"), hops[i], i % 2 ? EG : IN, (10 - i) * MS);
	for (int i = 0; i < 4; i++)
		ev[n++] = at(&t, echo(8, "10.200.0.1", "10.200.0.2", 1), hops[i], i % 2 ? IN : EG, (20 + i) * MS);
	for (int i = 3; i >= 0; i--)
		ev[n++] = at(&t, echo(0, "10.200.0.2", "10.200.0.1", 1), hops[i], i % 2 ? EG : IN, (30 - i) * MS);
	write_seed(argv[1], "ping-across", healthy, ev, n);
	n = 0;
	ev[n++] = at(&t, echo(8, "10.200.0.1", "10.200.0.2", 1), END(1), EG, 1 * MS);
	ev[n++] = at(&t, echo(8, "10.200.0.1", "10.200.0.2", 1), PORT(1), IN, 2 * MS);
	ev[n] = echo(8, "10.200.0.1", "10.200.0.2", 1);
	ev[n].source = NSTRACE_SRC_NF;
	ev[n].nf_hook = 2;
	ev[n].nf_edge = 1;
	ev[n].netns_ino = HOST_INO;
	ev[n++].ts_ns = 3 * MS;
	ev[n] = echo(8, "10.200.0.1", "10.200.0.2", 1);
	ev[n].source = NSTRACE_SRC_DROP;
	ev[n].drop_reason = 12;
	ev[n].location = 0x1000;
	ev[n].ifindex = PORT(2);
	ev[n].netns_ino = HOST_INO;
	ev[n++].ts_ns = 4 * MS;
	write_seed(argv[1], "forward-drop", broken, ev, n);
	return 0;
}
