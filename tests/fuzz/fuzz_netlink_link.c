// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Link dumps as the kernel might send them, or not: an AF_UNSPEC dump and
 * the AF_BRIDGE dump merged into it, through the same callbacks and policies
 * nl_link_dump_ports() uses. Input: a 16-bit little-endian length, that many
 * bytes of link messages, the rest bridge-port messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_link *links;
	uint8_t *copy, *ports;
	size_t split;
	int n;

	if (size < 2)
		return 0;
	split = data[0] | (size_t)data[1] << 8;
	data += 2;
	size -= 2;
	if (split > size)
		split = size;
	/* Netlink messages are read in place: give each dump an aligned buffer of its own, as recv() would. */
	copy = malloc(split ? split : 1);
	ports = malloc(size - split ? size - split : 1);
	if (!copy || !ports) {
		free(copy);
		free(ports);
		return 0;
	}
	memcpy(copy, data, split);
	memcpy(ports, data + split, size - split);
	n = nl_link_replay(copy, split, ports, size - split, &links);
	for (int i = 0; i < n; i++) {
		/* Every string must be terminated inside its field. */
		if (strlen(links[i].name) >= sizeof(links[i].name) || strlen(links[i].alias) >= sizeof(links[i].alias) ||
		    strlen(links[i].kind) >= sizeof(links[i].kind))
			abort();
	}
	if (n > 0)
		free(links);
	free(copy);
	free(ports);
	return 0;
}
