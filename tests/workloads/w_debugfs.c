// SPDX-License-Identifier: GPL-2.0
/*
 * reset: write "1" to the reset file and read the counters straight after,
 *        in one process with nothing faulted between: all read 0.
 * write FILE STRING: write STRING (no newline added) to FILE in one write()
 *        and print "write.result OK" or the errno's name.
 * names: the counter names the header lists, one a line, in order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

static int write_file(const char *path, const char *s)
{
	ssize_t len = (ssize_t)strlen(s);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int e = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, (size_t)len) != len)
		e = errno ? errno : EIO;
	close(fd);
	return e;
}

int w_reset(int argc, char **argv)
{
	struct al_stats zero, b;
	int e;

	(void)argv;
	if (argc != 1)
		al_die("usage: reset");
	al_snap(&b);	/* fault in everything the read needs */
	e = write_file(ANONLAZY_DEBUGFS_PATH "/" ANONLAZY_RESET_FILE, "1\n");
	if (e)
		al_die("reset: %s", strerror(e));
	al_snap(&b);
	zero = b;	/* the same counters present, all 0 */
	memset(zero.val, 0, sizeof(zero.val));
	al_print_delta("reset", &zero, &b);
	return 0;
}

int w_write(int argc, char **argv)
{
	int e;

	if (argc != 3)
		al_die("usage: write FILE STRING");
	errno = 0;
	e = write_file(argv[1], argv[2]);
	printf("write.result %s\n", e ? strerrorname_np(e) : "OK");
	return 0;
}

int w_names(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		printf("%s\n", anonlazy_counter_names[i]);
	return 0;
}
