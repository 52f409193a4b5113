// SPDX-License-Identifier: GPL-2.0
/*
 * hold N K: fault N separate anonymous VMAs, fork K children that keep a
 * copy, print "ready" and wait for SIGTERM (children too): a steady state
 * whose anon_vma and anon_vma_chain slab objects a benchmark can count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 65536
#define MAX_CHILDREN 64

int w_hold(int argc, char **argv)
{
	unsigned long n, k;

	if (argc != 3)
		al_die("usage: hold N K");
	n = al_count_arg(argv[1], MAX_VMAS);
	k = strcmp(argv[2], "0") ? al_count_arg(argv[2], MAX_CHILDREN) : 0;
	for (unsigned long i = 0; i < n; i++)
		al_touch(al_map_isolated(1), 1, (char)i);
	for (unsigned long i = 0; i < k; i++) {
		pid_t pid = fork();

		if (pid < 0)
			al_die("fork: %s", strerror(errno));
		if (pid == 0) {
			for (;;)
				pause();
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}
