/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Just enough JSON reading to find a container's name in its runtime's own
 * files (Docker's config.v2.json, Podman's containers.json, an OCI
 * config.json's annotations): spans of the text, never a tree; depth and
 * length are bounded, malformed input is an error, never a read past its end.
 */
#ifndef NSTRACE_MODEL_JSON_READ_H
#define NSTRACE_MODEL_JSON_READ_H

#include <stddef.h>

/* A value: its first byte and its length, inside the caller's buffer. */
struct jspan {
	const char *p;
	size_t n;
};

/* The whole text as one value (leading and trailing blanks allowed); 0 or -1. */
int json_root(const char *buf, size_t len, struct jspan *out);
/* The member key of object obj; 0, or -1 if absent or obj is not an object. */
int json_member(struct jspan obj, const char *key, struct jspan *out);
/*
 * Elements of an array, one per call: *it starts as the array itself; 1 and
 * *elem for each element, 0 at the end, -1 if malformed.
 */
int json_next(struct jspan *it, struct jspan *elem);
/* A string value decoded into out (\uXXXX above 0x7f becomes '?'); 0, or -1 if not a string or too long. */
int json_string_of(struct jspan v, char *out, size_t size);

#endif
