// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: kallsyms and the kprobe blacklist, one pass each. */
#define _GNU_SOURCE
#include "bpf_ksyms.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void mark(const char *name, size_t len, const char * const *names,
		 int n, bool *found)
{
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], name, len))
			found[i] = true;
}

/*
 * Call mark() with the field'th space-separated word (0-based) of each
 * line whose word type_field (-1: none) is one of types.
 */
static int scan(const char *path, int field, int type_field,
		const char *types, const char * const *names, int n,
		bool *found)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		const char *w = line, *word = NULL;
		size_t wlen = 0;
		bool type_ok = type_field < 0;

		for (int k = 0; *w && *w != '\n'; k++) {
			const char *end = w + strcspn(w, " \t\n");

			if (k == type_field)
				type_ok = end - w == 1 && strchr(types, *w);
			if (k == field) {
				word = w;
				wlen = (size_t)(end - w);
			}
			w = end + strspn(end, " \t");
		}
		if (word && type_ok)
			mark(word, wlen, names, n, found);
	}
	free(line);
	fclose(f);
	return 0;
}

int al_ksyms_find(const char *path, const char * const *names, int n,
		  bool *found)
{
	return scan(path, 2, 1, "tTwW", names, n, found);
}

int al_kprobe_blacklist_find(const char *path, const char * const *names,
			     int n, bool *found)
{
	return scan(path, 1, -1, "", names, n, found);
}
