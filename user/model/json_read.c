// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "model/json_read.h"

#define MAX_DEPTH 64

static size_t blanks(const char *p, size_t i, size_t n)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

/* End (one past) of the string starting at p[i] == '"', or 0 if unterminated. */
static size_t string_end(const char *p, size_t i, size_t n)
{
	for (i++; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return i + 1;
	}
	return 0;
}

/* End (one past) of the value starting at p[i], or 0 if malformed. */
static size_t value_end(const char *p, size_t i, size_t n, int depth)
{
	if (i >= n || depth > MAX_DEPTH)
		return 0;
	if (p[i] == '"')
		return string_end(p, i, n);
	if (p[i] == '{' || p[i] == '[') {
		char close = p[i] == '{' ? '}' : ']';

		i = blanks(p, i + 1, n);
		if (i < n && p[i] == close)
			return i + 1;
		while (i < n) {
			if (close == '}') {
				if (p[i] != '"' || !(i = string_end(p, i, n)))
					return 0;
				i = blanks(p, i, n);
				if (i >= n || p[i] != ':')
					return 0;
				i = blanks(p, i + 1, n);
			}
			if (!(i = value_end(p, i, n, depth + 1)))
				return 0;
			i = blanks(p, i, n);
			if (i < n && p[i] == close)
				return i + 1;
			if (i >= n || p[i] != ',')
				return 0;
			i = blanks(p, i + 1, n);
		}
		return 0;
	}
	/* A number, true, false or null: the run of characters that can make one. */
	{
		size_t start = i;

		while (i < n && strchr("0123456789+-.eEtruefalsn", p[i]))
			i++;
		return i > start ? i : 0;
	}
}

int json_root(const char *buf, size_t len, struct jspan *out)
{
	size_t i = blanks(buf, 0, len), end = value_end(buf, i, len, 0);

	if (!end || blanks(buf, end, len) != len)
		return -1;
	*out = (struct jspan){ buf + i, end - i };
	return 0;
}

int json_member(struct jspan obj, const char *key, struct jspan *out)
{
	const char *p = obj.p;
	size_t n = obj.n, i = 1, klen = strlen(key);

	if (!n || p[0] != '{')
		return -1;
	for (i = blanks(p, i, n); i < n && p[i] == '"';) {
		size_t kend = string_end(p, i, n), vstart, vend;

		if (!kend)
			return -1;
		vstart = blanks(p, kend, n);
		if (vstart >= n || p[vstart] != ':')
			return -1;
		vstart = blanks(p, vstart + 1, n);
		vend = value_end(p, vstart, n, 1);
		if (!vend)
			return -1;
		if (kend - i - 2 == klen && !memcmp(p + i + 1, key, klen)) {
			*out = (struct jspan){ p + vstart, vend - vstart };
			return 0;
		}
		i = blanks(p, vend, n);
		if (i < n && p[i] == ',')
			i = blanks(p, i + 1, n);
	}
	return -1;
}

int json_next(struct jspan *it, struct jspan *elem)
{
	size_t i, end;

	if (!it->n)
		return 0;
	/* The first call starts at '['; later ones just after the previous element. */
	i = it->p[0] == '[' || it->p[0] == ',' ? 1 : 0;
	i = blanks(it->p, i, it->n);
	if (i < it->n && it->p[i] == ']') {
		it->n = 0;
		return 0;
	}
	end = value_end(it->p, i, it->n, 1);
	if (!end)
		return -1;
	*elem = (struct jspan){ it->p + i, end - i };
	i = blanks(it->p, end, it->n);
	if (i >= it->n || (it->p[i] != ',' && it->p[i] != ']'))
		return -1;
	it->p += i;
	it->n -= i;
	if (it->p[0] == ']')
		it->n = 1;	/* next call sees ']' at 0: make it the end */
	return 1;
}

int json_string_of(struct jspan v, char *out, size_t size)
{
	size_t o = 0;

	if (v.n < 2 || v.p[0] != '"' || v.p[v.n - 1] != '"' || !size)
		return -1;
	for (size_t i = 1; i + 1 < v.n; i++) {
		char c = v.p[i];

		if (c == '\\' && i + 2 < v.n) {
			char e = v.p[++i];

			c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
			if (e == 'u') {
				c = '?';
				i += i + 4 < v.n ? 4 : 0;
			}
		}
		if (o + 1 >= size)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}
