/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the guest workloads. Each workload does one controlled
 * thing between two snapshots of the module's stats, taken in the same
 * process with nothing faulted in between, and prints the deltas as
 * "<phase>.<counter> <delta>" lines for the guest tests to check.
 */
#ifndef ALWORK_COMMON_H
#define ALWORK_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

extern size_t al_page;

/* Print to stderr and exit 2 (a broken set-up, not a failed check). */
void al_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Parse a positive count argument no larger than max. */
unsigned long al_count_arg(const char *s, unsigned long max);

/* Run on CPU 0 only, so per-CPU LRU batches drain where madvise runs. */
void al_pin_cpu0(void);

/* Snapshot the module's counters (path from $AL_STATS or debugfs). */
void al_snap(struct al_stats *s);

/* Print every counter's delta as "<phase>.<name> <after - before>". */
void al_print_delta(const char *phase, const struct al_stats *before,
		    const struct al_stats *after);

/*
 * Map npages of private anonymous memory as a VMA of its own: an unmapped
 * page on each side keeps it from merging with, or borrowing an anon_vma
 * from, a neighbour. Not faulted; THP off for it.
 */
char *al_map_isolated(size_t npages);

/* Write one byte per page: the first fault of each page. */
void al_fork_reap(void);
void al_touch(char *p, size_t npages, char seed);

/* Check the bytes al_touch wrote; returns the number of bad pages. */
size_t al_verify(const char *p, size_t npages, char seed);

/* Is a swap device on (a second line in /proc/swaps)? */
int al_have_swap(void);

/* Pages of [p, p + npages) that /proc/self/pagemap shows swapped out. */
size_t al_count_swapped(const char *p, size_t npages);

#endif /* ALWORK_COMMON_H */
