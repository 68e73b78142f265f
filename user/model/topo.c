// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stddef.h>
#include "model/topo.h"

int topo_find(const struct topo *t, uint32_t netns_ino, int ifindex)
{
	for (int i = 0; i < t->n; i++)
		if (t->ifs[i].netns_ino == netns_ino && t->ifs[i].ifindex == ifindex)
			return i;
	return -1;
}

int topo_find_addr(const struct topo *t, struct in_addr addr)
{
	for (int i = 0; i < t->n; i++)
		if (t->ifs[i].addr.s_addr && t->ifs[i].addr.s_addr == addr.s_addr &&
		    t->ifs[i].role != TOPO_PORT)
			return i;
	return -1;
}

const char *topo_ns_label(const struct topo *t, uint32_t ino)
{
	for (int i = 0; i < t->n; i++)
		if (t->ifs[i].netns_ino == ino)
			return t->ifs[i].ns_label;
	return NULL;
}
