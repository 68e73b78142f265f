/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A tiny assertion helper for the unit tests: one line per check, then
 * "N passed, N failed". check_summary() returns the exit code.
 */
#ifndef NSTRACE_TEST_CHECK_H
#define NSTRACE_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

static inline int check_report(int ok, const char *name, const char *file, int line)
{
	if (ok) {
		check_passed++;
		printf("ok   %s\n", name);
	} else {
		check_failed++;
		printf("FAIL %s (%s:%d)\n", name, file, line);
	}
	return ok;
}

static inline int check_str_report(const char *got, const char *want, const char *name,
				   const char *file, int line)
{
	int ok = got && want && !strcmp(got, want);

	if (!check_report(ok, name, file, line))
		printf("     got:  \"%s\"\n     want: \"%s\"\n", got ? got : "(null)",
		       want ? want : "(null)");
	return ok;
}

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#define CHECK(cond, name) check_report(!!(cond), (name), __FILE__, __LINE__)
#define CHECK_STR(a, b, name) check_str_report((a), (b), (name), __FILE__, __LINE__)

/* text contains needle; on failure shows both. */
static inline int has(const char *text, const char *needle, const char *name)
{
	int ok = text && strstr(text, needle);

	if (!CHECK(ok, name))
		printf("     missing: \"%s\"\n     in:\n%s\n", needle, text ? text : "(null)");
	return ok;
}

#endif /* NSTRACE_TEST_CHECK_H */
