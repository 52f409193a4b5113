// SPDX-License-Identifier: GPL-2.0
/*
 * Timed workloads for make bench (measurements, not tests):
 *
 *   forkbench N K      fault N separate anonymous VMAs, fork once to warm
 *                      up (on an ANON_VMA_LAZY kernel that fork upgrades
 *                      the lazy roots), then fork K children that exit at
 *                      once, each waited for: one fork + exit copies and
 *                      tears down N anon VMAs.
 *   pageoutbench N K   K rounds over one VMA of N pages: write every page
 *                      (first fault, then swap-in), MADV_PAGEOUT them all.
 *                      Each 4 KiB folio paged out is one rmap walk.
 *   syscallbench N     getppid() through syscall(2), N times in a row: one
 *                      cheap kernel function (__x64_sys_getppid, an alias
 *                      of __do_sys_getppid) a call, for the cost of a probe
 *                      hit on it (scripts/guest/bench-mech.sh).
 *
 * Each prints "<name>.ops", "<name>.ns" (total wall time of the timed part,
 * CLOCK_MONOTONIC) and "<name>.ns_per_op".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 65536
#define MAX_ROUNDS 100000
#define MAX_PAGES 65536
#define MAX_CALLS 1000000000UL

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void report(const char *name, unsigned long ops, unsigned long long ns)
{
	printf("%s.ops %lu\n%s.ns %llu\n%s.ns_per_op %llu\n",
	       name, ops, name, ns, name, ns / ops);
}

int w_forkbench(int argc, char **argv)
{
	unsigned long n, k;
	unsigned long long t0;

	if (argc != 3)
		al_die("usage: forkbench N K");
	n = al_count_arg(argv[1], MAX_VMAS);
	k = al_count_arg(argv[2], MAX_ROUNDS);
	for (unsigned long i = 0; i < n; i++)
		al_touch(al_map_isolated(1), 1, (char)i);
	al_fork_reap();
	t0 = now_ns();
	for (unsigned long i = 0; i < k; i++)
		al_fork_reap();
	report("forkbench", k, now_ns() - t0);
	return 0;
}

int w_pageoutbench(int argc, char **argv)
{
	unsigned long n, k;
	unsigned long long t0;
	char *p;

	if (argc != 3)
		al_die("usage: pageoutbench N K");
	n = al_count_arg(argv[1], MAX_PAGES);
	k = al_count_arg(argv[2], MAX_ROUNDS);
	if (!al_have_swap())
		al_die("no swap device is on: pageoutbench needs one");
	p = al_map_isolated(n);
	t0 = now_ns();
	for (unsigned long r = 0; r < k; r++) {
		al_touch(p, n, (char)r);
		if (madvise(p, n * al_page, MADV_PAGEOUT))
			al_die("madvise(MADV_PAGEOUT): %s", strerror(errno));
	}
	report("pageoutbench", n * k, now_ns() - t0);
	if (al_count_swapped(p, n) != n)
		al_die("pageoutbench: %zu of %lu pages swapped out, want all",
		       al_count_swapped(p, n), n);
	if (al_verify(p, n, (char)(k - 1)))
		al_die("pageoutbench: data lost across swap");
	return 0;
}

int w_syscallbench(int argc, char **argv)
{
	unsigned long n;
	unsigned long long t0;

	if (argc != 2)
		al_die("usage: syscallbench N");
	n = al_count_arg(argv[1], MAX_CALLS);
	/* syscall(2), not getppid(3): no libc may answer it from a cache */
	syscall(SYS_getppid);
	t0 = now_ns();
	for (unsigned long i = 0; i < n; i++)
		syscall(SYS_getppid);
	report("syscallbench", n, now_ns() - t0);
	return 0;
}
