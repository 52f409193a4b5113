// SPDX-License-Identifier: GPL-2.0
/*
 * threadfault V T: T threads, each on a CPU of its own (round robin), fault
 * the same fresh VMA at once, V times: V separate VMAs of T pages, and in
 * round i thread t writes page t of VMA i. A spin barrier releases the
 * threads of a round together, so their first faults race: each finds
 * vma->anon_vma NULL and calls __anon_vma_prepare(), under the mmap_lock
 * held for read; the mm's page_table_lock lets one of them set the
 * anon_vma (or, ANON_VMA_LAZY, the lazy root tag) and the others find it
 * set. V VMAs get exactly V anon_vmas or lazy roots, however many calls.
 *
 * The threads start (and fault their own stacks) before the VMAs are
 * mapped and the first snapshot, and are joined after the second, so the
 * phase "threadfault" holds the V rounds alone. Prints threadfault.vmas,
 * threadfault.threads, threadfault.intact (1: every page holds what its
 * thread wrote) and the deltas.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 4096
#define MAX_THREADS 64

static char *vma[MAX_VMAS];
static unsigned long nvmas;
static int nthreads, ncpus;
static atomic_int ready, go, done, arrived, generation;

/* All nthreads threads arrive before any leaves; spins, no syscall. */
static void barrier_wait(void)
{
	int gen = atomic_load(&generation);

	if (atomic_fetch_add(&arrived, 1) == nthreads - 1) {
		atomic_store(&arrived, 0);
		atomic_fetch_add(&generation, 1);
		return;
	}
	while (atomic_load(&generation) == gen)
		if (nthreads > ncpus)
			sched_yield();
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *worker(void *arg)
{
	int t = (int)(long)arg;

	pin(t % ncpus);
	atomic_fetch_add(&ready, 1);
	while (!atomic_load(&go))
		sched_yield();
	for (unsigned long i = 0; i < nvmas; i++) {
		barrier_wait();
		vma[i][(size_t)t * al_page] = (char)(i + t);
	}
	atomic_fetch_add(&done, 1);
	return NULL;
}

static void wait_for(atomic_int *v, int n)
{
	const struct timespec ms = { 0, 1000000 };

	while (atomic_load(v) < n)
		nanosleep(&ms, NULL);
}

int w_threadfault(int argc, char **argv)
{
	pthread_t th[MAX_THREADS];
	struct al_stats a, b;
	unsigned long bad = 0;
	int err;

	if (argc != 3)
		al_die("usage: threadfault V T");
	nvmas = al_count_arg(argv[1], MAX_VMAS);
	nthreads = (int)al_count_arg(argv[2], MAX_THREADS);
	ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus < 1)
		ncpus = 1;
	/*
	 * Threads first: a thread stack mapped after the VMAs would land
	 * right below the last one, in its unmapped guard page, with the same
	 * flags (MAP_STACK is VM_NOHUGEPAGE on 6.12, like the VMAs), and
	 * merge with it; the stack's own first fault would then give that VMA
	 * its anon_vma before the rounds, and V VMAs would show V - 1.
	 */
	for (int t = 0; t < nthreads; t++) {
		err = pthread_create(&th[t], NULL, worker, (void *)(long)t);
		if (err)
			al_die("pthread_create: %s", strerror(err));
	}
	wait_for(&ready, nthreads);
	for (unsigned long i = 0; i < nvmas; i++)
		vma[i] = al_map_isolated((size_t)nthreads);

	al_snap(&a);
	atomic_store(&go, 1);
	wait_for(&done, nthreads);
	al_snap(&b);

	for (int t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	for (unsigned long i = 0; i < nvmas; i++)
		for (int t = 0; t < nthreads; t++)
			bad += vma[i][(size_t)t * al_page] != (char)(i + t);
	printf("threadfault.vmas %lu\n", nvmas);
	printf("threadfault.threads %d\n", nthreads);
	printf("threadfault.intact %d\n", bad == 0);
	al_print_delta("threadfault", &a, &b);
	return 0;
}
