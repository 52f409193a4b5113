// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the census and processes tables of the shared header:
 * every slot named, names unique and made of [a-z_], so that the module's
 * files and their readers agree on every key and column.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "anonlazy.h"

static int names_ok(const char * const *names, int n)
{
	for (int i = 0; i < n; i++) {
		const char *s = names[i];

		if (!s || !*s)
			return 0;
		for (; *s; s++)
			if (!islower((unsigned char)*s) && *s != '_')
				return 0;
		for (int j = 0; j < i; j++)
			if (names[j] && !strcmp(names[i], names[j]))
				return 0;
	}
	return 1;
}

int main(void)
{
	test_init();
	CHECK(names_ok(anonlazy_census_names, ANONLAZY_NR_CENSUS_KEYS),
	      "header: every census key has a unique [a-z_] name");
	CHECK(names_ok(anonlazy_proc_cols, ANONLAZY_NR_PROC_COLS),
	      "header: every processes column has a unique [a-z_] name");
	CHECK(!strcmp(anonlazy_proc_cols[ANONLAZY_PROC_PID], "pid"),
	      "header: processes lines start with the pid");
	CHECK(strlen(ANONLAZY_PROC_COMM_COL) == 4,
	      "header: the comm column's name (readers skip 5 bytes)");
	return test_exit();
}
