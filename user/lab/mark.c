// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "lab/config.h"
#include "lab/mark.h"

void mark_format(char *buf, int size, const char *lab, const char *role, int k)
{
	if (k > 0)
		snprintf(buf, size, LAB_MARK "%s:%s %d", lab, role, k);
	else
		snprintf(buf, size, LAB_MARK "%s:%s", lab, role);
}

/* "nstrace:LAB:ROLE ..." -> copies LAB and returns ROLE, or NULL. */
const char *mark_parse(const char *alias, char *lab, int size)
{
	const char *p, *colon;

	if (strncmp(alias, LAB_MARK, strlen(LAB_MARK)))
		return NULL;
	p = alias + strlen(LAB_MARK);
	colon = strchr(p, ':');
	if (!colon || colon - p >= size)
		return NULL;
	memcpy(lab, p, colon - p);
	lab[colon - p] = '\0';
	return colon + 1;
}

int mark_is_of(const char *alias, const char *lab, const char *role)
{
	char name[LAB_NAME_MAX + 1];
	const char *r = mark_parse(alias, name, sizeof(name));

	return r && !strcmp(name, lab) && !strncmp(r, role, strlen(role));
}
