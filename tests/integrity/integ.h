/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alinteg: data-integrity tests of anonymous memory through every path
 * that moves, shares or splits it. Each test prints PASS/FAIL/SKIP lines
 * ("<kernel>: integrity <test>: ...") that make check counts.
 */
#ifndef ALINTEG_H
#define ALINTEG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common.h"

void ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Fill npages with a pattern unique to (seed, page, word). */
void fill(void *p, size_t npages, unsigned int seed);

/* Pages that do not hold fill()'s pattern for seed. */
size_t bad_pages(const void *p, size_t npages, unsigned int seed);

/* The same for pages [from, from + npages) of an area filled from base. */
size_t bad_pages_from(const void *base, size_t from, size_t npages,
		      unsigned int seed);

/* Write a sysfs/procfs knob; returns false if it cannot. */
bool write_knob(const char *path, const char *val);

/* Read a number from a file; -1 if it cannot. */
long read_num(const char *path);

/*
 * Check the anon_vma state of the VMA holding addr in pid's smaps (0: this
 * process): want is "lazy", "regular", "none" or "parent" as the kernel
 * shows it with vm.anon_vma_lazy=1; with the sysctl 0, "lazy" means
 * "regular". No check where the kernel has no ANON_VMA_LAZY.
 */
void expect_state(pid_t pid, const void *addr, const char *want, const char *what);
void states_note(void);

int t_fork(void);
int t_vma(void);
int t_swap(void);
int t_migrate(void);
int t_ksm(void);
int t_thp(void);
int t_uffd(void);
int t_race(void);
int t_upgrade(void);

#endif /* ALINTEG_H */
