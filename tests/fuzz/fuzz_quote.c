// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A command with any namespace name and arguments (names come from whoever
 * built the topology), printed as nstrace prints fixes, must come back from
 * a POSIX shell's word expansion as exactly the words that were meant, with
 * no command substitution and no variable left to expand. Input: words
 * separated by NUL; the first byte picks how the namespace is entered.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wordexp.h>
#include "model/verdict.h"
#include "report/verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[CMD_MAX_ARGS + 2] = {}, *want[CMD_MAX_ARGS + 6];
	char *words = malloc(size + 1), text[CMD_TEXT_MAX], via_arg[NS_ARG_MAX + 8];
	struct ns_ref ref = {};
	struct command c;
	int n = 0, nw = 0;
	wordexp_t we;

	if (!words || size < 2)
		goto out;
	memcpy(words, data + 1, size - 1);
	words[size - 1] = '\0';
	ref.via = data[0] % 4;
	snprintf(ref.arg, sizeof(ref.arg), "%s", words);
	for (char *p = words + strlen(words) + 1; p < words + size - 1 && n <= CMD_MAX_ARGS; p += strlen(p) + 1)
		argv[n++] = p;
	if (!n || command_set(&c, &ref, argv) || !command_str(&c, text, sizeof(text)))
		goto out;
	if (ref.via == NS_VIA_NAME)
		want[nw++] = "ip", want[nw++] = "netns", want[nw++] = "exec", want[nw++] = ref.arg;
	if (ref.via == NS_VIA_PID)
		want[nw++] = "nsenter", want[nw++] = "-t", want[nw++] = ref.arg, want[nw++] = "-n";
	if (ref.via == NS_VIA_PATH) {
		snprintf(via_arg, sizeof(via_arg), "--net=%s", ref.arg);
		want[nw++] = "nsenter", want[nw++] = via_arg;
	}
	for (int i = 0; i < c.argc; i++)
		want[nw++] = c.argv[i];
	if (wordexp(text, &we, WRDE_NOCMD | WRDE_UNDEF))
		abort();	/* a substitution, a variable or a character the shell would act on */
	if ((int)we.we_wordc != nw)
		abort();
	for (int i = 0; i < nw; i++)
		if (strcmp(we.we_wordv[i], want[i]))
			abort();
	wordfree(&we);
out:
	free(words);
	return 0;
}
