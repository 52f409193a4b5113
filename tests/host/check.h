/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test harness for host tests: CHECK prints one PASS or FAIL line
 * per assertion, in the format make check counts, and test_exit() returns
 * non-zero if any failed. Every test's main() calls test_init() first:
 * stdout line-buffered, so the lines printed before a crash reach the log
 * (make check counts the crash itself as a FAIL).
 */
#ifndef AL_CHECK_H
#define AL_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

static int check_failed;

#define CHECK(cond, name) do {						\
	if (cond) {							\
		printf("PASS: host: %s\n", name);			\
	} else {							\
		printf("FAIL: host: %s: %s (%s:%d)\n", name, #cond,	\
		       __FILE__, __LINE__);				\
		check_failed = 1;					\
	}								\
} while (0)

static inline void test_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static inline int test_exit(void)
{
	return check_failed;
}

/*
 * check_script(NAME, CMD): a host test written in shell. CMD runs (its
 * PASS/FAIL lines pass through, so make check counts them), and one more
 * line, "NAME passed", fails when it exits non-zero or dies.
 */
static inline void check_script(const char *name, const char *cmd)
{
	char what[256];
	int st;

	fflush(stdout);
	st = system(cmd);
	snprintf(what, sizeof(what), "%s passed", name);
	CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, what);
}

#endif /* AL_CHECK_H */
