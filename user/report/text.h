/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * How text reaches a person: colour on a terminal only, prose wrapped to a
 * width, UTF-8 glyphs folded to ASCII where the locale cannot show them, and
 * notes said once. Pure: cli/ decides from the terminal, report/ obeys.
 */
#ifndef NSTRACE_REPORT_TEXT_H
#define NSTRACE_REPORT_TEXT_H

#include <stddef.h>
#include <stdio.h>

#define TEXT_WIDTH 100

enum tx_color {
	TX_RESET = 0,
	TX_BOLD,
	TX_DIM,
	TX_RED,
	TX_GREEN,
	TX_YELLOW,
	TX_CYAN,
};

/* Notes that are said once per output, however many packets they concern. */
#define TX_SAID_MAX 16

struct textout {
	FILE *f;		/* NULL: no text output (--json on stdout) */
	int color;		/* ANSI colours: a terminal, and neither NO_COLOR nor --no-color */
	int ascii;		/* the locale is not UTF-8: glyphs are folded to ASCII (by cli) */
	int width;		/* prose wraps at this column; 0: never */
	int quiet;		/* --quiet/--summary: verdicts and summary only */
	int explain;		/* --explain: narrate what the events show */
	int said[TX_SAID_MAX];	/* keys of notes already printed (e.g. a bridge's index + 1) */
	int nsaid;
};

/* The escape sequence for c, or "" without colour. */
const char *tx_c(const struct textout *t, enum tx_color c);
/* 1 the first time key is seen (the caller prints its note), 0 after. */
int tx_once(struct textout *t, int key);
/* Display columns of a UTF-8 string (ASCII fallback widths when t->ascii). */
int tx_columns(const struct textout *t, const char *s);
/*
 * Prints first + text, wrapped at t->width on spaces; continuation lines
 * start with cont. A word longer than a line is kept whole (a command, a path).
 */
void tx_wrap(const struct textout *t, const char *first, const char *cont, const char *text);

/*
 * UTF-8 glyphs nstrace prints, folded to ASCII ("→" -> "->", "µs" -> "us",
 * "✗" -> "x"); other bytes pass through. Writes at most outsize - 1 bytes
 * and a NUL; returns how many bytes of in were consumed: a glyph cut at the
 * end of in is left for the next call.
 */
size_t ascii_fold(const char *in, size_t n, char *out, size_t outsize, size_t *outlen);

/*
 * Names come from the kernel and from users, and an interface or namespace
 * name may hold any byte but '/', ':' and white space: ESC, BEL, a C1
 * control. Text for a terminal keeps only what nstrace itself sends (SGR
 * colour sequences, newlines, tabs) and writes every other control byte as
 * \xNN (C1 controls as \u0080 to \u009f). Same contract as ascii_fold: out
 * has room for 4 * n + 1 bytes; a sequence cut at the end of in is left for
 * the next call (at most TEXT_CARRY_MAX bytes).
 */
#define TEXT_CARRY_MAX 16
size_t text_defang(const char *in, size_t n, char *out, size_t outsize, size_t *outlen);

#endif
