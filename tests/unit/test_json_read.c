// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for model/json_read.c: the few JSON reads container names need, and malformed input. */
#include <string.h>
#include "model/json_read.h"
#include "check.h"

static const char *member_string(const char *text, const char *key, char *out, size_t size)
{
	struct jspan root, v;

	if (json_root(text, strlen(text), &root) || json_member(root, key, &v) || json_string_of(v, out, size))
		return NULL;
	return out;
}

int main(void)
{
	static const char docker[] = " {\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"no\"}},\"Name\":\"/web1\",\"X\":[1,2,{\"Name\":3}]} ";
	static const char podman[] = "[{\"id\":\"a\",\"names\":[\"one\"]},{\"id\":\"b\",\"names\":[\"two\",\"2\"]}]";
	static const char *const bad[] = { "", "{", "{\"a\"}", "{\"a\":}", "[1,]", "{\"a\":1,}", "\"open", "[1 2]",
					   "{\"a\":1} x", "{\"a\":\"\\\"}" };
	struct jspan root, it, el, v;
	char buf[32], deep[300];
	int n = 0, found = 0;

	CHECK_STR(member_string(docker, "Name", buf, sizeof(buf)), "/web1", "docker: the top-level Name, not a nested one");
	CHECK(member_string(docker, "Nope", buf, sizeof(buf)) == NULL, "absent member");
	CHECK(!json_root(podman, strlen(podman), &root), "podman: parses");
	it = root;
	while (json_next(&it, &el) == 1) {
		n++;
		if (!json_member(el, "id", &v) && !json_string_of(v, buf, sizeof(buf)) && !strcmp(buf, "b") &&
		    !json_member(el, "names", &v) && json_next(&v, &el) == 1 && !json_string_of(el, buf, sizeof(buf)))
			found = !strcmp(buf, "two");
	}
	CHECK(n == 2, "podman: two elements");
	CHECK(found, "podman: names[0] of the element with id b");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "malformed refused: %s", bad[i]);
		CHECK(json_root(bad[i], strlen(bad[i]), &root) == -1, name);
	}
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	CHECK(json_root(deep, strlen(deep), &root) == -1, "nesting too deep refused, no stack overflow");
	CHECK(member_string("{\"n\":\"a\\\"b\\\\c\\u00e9\"}", "n", buf, sizeof(buf)) && !strcmp(buf, "a\"b\\c?"),
	      "escapes decoded, non-ASCII \\u as '?'");
	CHECK(member_string("{\"n\":\"0123456789abcdef\"}", "n", buf, 8) == NULL, "a string too long for the buffer refused");
	return check_summary();
}
