// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "report/text.h"

static const char *const colors[] = {
	[TX_RESET] = "\033[0m", [TX_BOLD] = "\033[1m", [TX_DIM] = "\033[2m", [TX_RED] = "\033[31m",
	[TX_GREEN] = "\033[32m", [TX_YELLOW] = "\033[33m", [TX_CYAN] = "\033[36m",
};

const char *tx_c(const struct textout *t, enum tx_color c)
{
	return t && t->color && c >= 0 && c < (int)(sizeof(colors) / sizeof(colors[0])) ? colors[c] : "";
}

int tx_once(struct textout *t, int key)
{
	for (int i = 0; i < t->nsaid; i++)
		if (t->said[i] == key)
			return 0;
	if (t->nsaid < TX_SAID_MAX)
		t->said[t->nsaid++] = key;
	return 1;
}

/* The glyphs nstrace prints and what they become in ASCII. */
static const struct {
	const char *utf8, *ascii;
} glyphs[] = {
	{ "\u2192", "->" },	/* → */
	{ "\u2190", "<-" },	/* ← */
	{ "\u2194", "<->" },	/* ↔ */
	{ "\u2717", "x" },	/* ✗ */
	{ "\u2713", "ok" },	/* ✓ */
	{ "\u00b5", "u" },	/* µ */
	{ "\u2026", "..." },	/* … */
	{ "\u2014", "--" },	/* — */
	{ "\u2013", "-" },	/* – */
	{ "\u2018", "'" },	/* ‘ */
	{ "\u2019", "'" },	/* ’ */
	{ "\u201c", "\"" },	/* “ */
	{ "\u201d", "\"" },	/* ” */
	{ "\u00d7", "x" },	/* × */
};

/* Length of the UTF-8 sequence starting with byte c (1 for ASCII and stray bytes). */
static size_t seq_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

static int columns_n(const struct textout *t, const char *s, size_t n)
{
	const char *end = s + n;
	int cols = 0;

	while (s < end && *s) {
		size_t len = seq_len((unsigned char)*s), k;
		const char *alt = NULL;

		for (k = 0; t && t->ascii && k < sizeof(glyphs) / sizeof(glyphs[0]); k++)
			if (!strncmp(s, glyphs[k].utf8, strlen(glyphs[k].utf8)))
				alt = glyphs[k].ascii;
		cols += alt ? (int)strlen(alt) : 1;
		for (k = 0; k < len && s < end && *s; k++)
			s++;
	}
	return cols;
}

int tx_columns(const struct textout *t, const char *s)
{
	return columns_n(t, s, strlen(s));
}

size_t ascii_fold(const char *in, size_t n, char *out, size_t outsize, size_t *outlen)
{
	size_t i = 0, o = 0;

	while (i < n && o + 4 < outsize) {
		unsigned char c = (unsigned char)in[i];
		size_t len = seq_len(c), k;

		if (c < 0x80) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		if (i + len > n)
			break;	/* cut glyph: wait for the rest */
		for (k = 0; k < sizeof(glyphs) / sizeof(glyphs[0]); k++)
			if (strlen(glyphs[k].utf8) == len && !memcmp(in + i, glyphs[k].utf8, len))
				break;
		if (k < sizeof(glyphs) / sizeof(glyphs[0])) {
			size_t al = strlen(glyphs[k].ascii);

			memcpy(out + o, glyphs[k].ascii, al);
			o += al;
		} else {
			out[o++] = '?';	/* a character the locale cannot show */
		}
		i += len;
	}
	out[o] = '\0';
	*outlen = o;
	return i;
}

void tx_wrap(const struct textout *t, const char *first, const char *cont, const char *text)
{
	const char *prefix = first, *p = text;

	while (*p == ' ')
		p++;
	do {
		int used = tx_columns(t, prefix), words = 0;
		const char *start = p, *end = p, *q = p;

		/* As many words as fit; at least one, so a long command is never cut. */
		while (*q) {
			const char *w = q;
			size_t wl;
			int wc;

			while (*w == ' ')
				w++;
			wl = strcspn(w, " ");
			if (!wl)
				break;
			wc = columns_n(t, w, wl);
			if (words && t->width && used + 1 + wc > t->width)
				break;
			used += (words ? 1 : 0) + wc;
			words++;
			end = q = w + wl;
		}
		fprintf(t->f, "%s%.*s\n", prefix, (int)(end - start), start);
		p = end;
		while (*p == ' ')
			p++;
		prefix = cont;
	} while (*p);
}

/* ESC [ digits and ';' m: a colour (SGR) sequence. Its length, 0 if not one, -1 if cut short. */
static int sgr_length(const unsigned char *p, size_t n)
{
	size_t k = 2;

	if (n < 2)
		return -1;
	if (p[1] != '[')
		return 0;
	while (k < n && k < TEXT_CARRY_MAX && ((p[k] >= '0' && p[k] <= '9') || p[k] == ';'))
		k++;
	if (k == n)
		return n < TEXT_CARRY_MAX ? -1 : 0;
	return p[k] == 'm' ? (int)k + 1 : 0;
}

size_t text_defang(const char *in, size_t n, char *out, size_t outsize, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, o = 0;

	while (i < n && o + 8 < outsize) {
		unsigned char c = p[i];
		int sgr = c == 0x1b ? sgr_length(p + i, n - i) : 0;

		if (sgr < 0 || (c == 0xc2 && i + 1 == n))
			break;	/* cut short: the rest comes with the next call */
		if (sgr > 0) {
			memcpy(out + o, p + i, sgr);
			o += sgr;
			i += sgr;
		} else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			o += snprintf(out + o, outsize - o, "\\x%02x", c);
			i++;
		} else if (c == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			o += snprintf(out + o, outsize - o, "\\u%04x", p[i + 1]);
			i += 2;
		} else {
			out[o++] = (char)c;
			i++;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return i;
}
