// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Answers to single requests: RTM_NEWNSID (netns ids), RTM_NEWROUTE (route
 * look-ups) and NLMSG_ERROR with the kernel's extended-ACK attributes, whose
 * offset comes from the message itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int nsid, oif, type;
	char ext_ack[256];
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	nl_answer_replay(copy, size, &nsid, &oif, &type, ext_ack, sizeof(ext_ack));
	if (strlen(ext_ack) >= sizeof(ext_ack))
		abort();
	free(copy);
	return 0;
}
