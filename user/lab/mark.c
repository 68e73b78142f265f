// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab/config.h"
#include "lab/mark.h"

/* The tag's top byte ('n'); the rest is the lab name's hash. */
#define BUILD_GROUP_BASE 0x6e000000u

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
	if (!colon || colon == p || colon - p >= size)
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

int mark_format_bridge(char *buf, int size, const char *lab, const struct bridge_mark *m)
{
	char sub[32];
	int n;

	cidr_str(&m->subnet, sub, sizeof(sub));
	if (m->owner.pid > 0)
		n = snprintf(buf, size, LAB_MARK "%s:bridge n=%d subnet=%s owner=%d:%llu", lab, m->namespaces,
			     sub, m->owner.pid, m->owner.start);
	else
		n = snprintf(buf, size, LAB_MARK "%s:bridge n=%d subnet=%s", lab, m->namespaces, sub);
	return n < 0 || n >= size ? -1 : 0;
}

/* Decimal digits only (no sign, no space, no empty): what strtoull alone lets through. */
static int parse_digits(const char *s, size_t len, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!len || len > 20)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (max - (unsigned)(s[i] - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* One "key=value" word of the bridge mark into m; unknown keys are a newer nstrace's: skipped. */
static int parse_field(const char *w, size_t len, struct bridge_mark *m, int *seen)
{
	const char *eq = memchr(w, '=', len), *colon;
	unsigned long long v, start;
	char sub[32];

	if (!eq)
		return -EINVAL;
	if (eq - w == 1 && w[0] == 'n') {
		if (parse_digits(eq + 1, len - 2, LAB_MAX_NAMESPACES, &v) || v < 1)
			return -EINVAL;
		m->namespaces = (int)v;
		*seen |= 1;
	} else if (eq - w == 6 && !strncmp(w, "subnet", 6)) {
		if (len - 7 >= sizeof(sub))
			return -EINVAL;
		memcpy(sub, eq + 1, len - 7);
		sub[len - 7] = '\0';
		if (cidr_parse(sub, &m->subnet))
			return -EINVAL;
		*seen |= 2;
	} else if (eq - w == 5 && !strncmp(w, "owner", 5)) {
		colon = memchr(eq + 1, ':', len - 6);
		if (!colon || parse_digits(eq + 1, colon - eq - 1, 0x7fffffff, &v) || !v ||
		    parse_digits(colon + 1, w + len - colon - 1, ~0ull, &start))
			return -EINVAL;
		m->owner.pid = (int)v;
		m->owner.start = start;
	}
	return 0;
}

int mark_parse_bridge(const char *alias, const char *lab, struct bridge_mark *m)
{
	const char *p;
	int seen = 0;

	memset(m, 0, sizeof(*m));
	if (!mark_is_of(alias, lab, "bridge"))
		return -EINVAL;
	p = strchr(alias + strlen(LAB_MARK), ':') + 1 + strlen("bridge");
	if (*p && *p != ' ')
		return -EINVAL;	/* "bridgeX": another role */
	while (*p) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len && parse_field(p, len, m, &seen))
			return -EINVAL;
		p += len;
	}
	return seen == 3 ? 0 : -EINVAL;
}

uint32_t mark_build_group(const char *lab)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const char *p = lab; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return BUILD_GROUP_BASE | (h & 0xffffff);
}

int mark_is_build_group(uint32_t group)
{
	return (group & 0xff000000u) == BUILD_GROUP_BASE;
}
