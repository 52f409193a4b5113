// SPDX-License-Identifier: GPL-2.0
/*
 * costbench N P: the time ANON_VMA_LAZY costs or saves, and the slab it
 * saves, in one process (make bench, scripts/guest/bench-cost.sh runs it
 * with vm.anon_vma_lazy 0 and 1). Measurements, not tests. In order:
 *
 *   fault          first write to each of N fresh one-page anonymous
 *                  VMAs (set A, mapped apart by unmapped pages, so none
 *                  merges or borrows a neighbour's anon_vma): with the
 *                  sysctl 1 each becomes a lazy root, with 0 it gets an
 *                  anon_vma and an anon_vma_chain. Per VMA.
 *   munmap_nofork  N more such VMAs (set B) faulted, then unmapped one by
 *                  one before this process ever forked: lazy roots (or
 *                  regular anon_vmas) torn down. Per VMA.
 *   fork1          the first fork() + child _exit() + waitpid() while
 *                  holding set A: with the sysctl 1 it upgrades all N lazy
 *                  roots (and alwork's few of its own). Per fork.
 *   fork2          a second one: nothing left to upgrade. Per fork.
 *   munmap_forked  set A unmapped one by one, after the forks (regular
 *                  anon_vmas either way). Per VMA.
 *   pageout        P one-page VMAs of alternating protection (RW, RWX:
 *                  neighbours, none mergeable), made after the forks, so
 *                  fresh lazy roots with the sysctl 1; ROUNDS rounds of
 *                  writing every page (first fault, then swap-in) and one
 *                  MADV_PAGEOUT over all P (timed): one rmap walk per
 *                  page, of a lazy folio or of a regular one. Per page.
 *                  Needs swap.
 *
 * Each timed part prints "costbench.<part>.ops", ".ns" (its total,
 * CLOCK_MONOTONIC) and ".ns_per_op". Slab: the active objects of the
 * anon_vma and anon_vma_chain caches (/proc/slabinfo, each cache shrunk
 * first; boot with slab_nomerge, or anon_vma_chain shares a cache with
 * others and has no line) before set A is faulted, after, and after fork1
 * (the child gone): "costbench.slab.<cache>.{before,faulted,forked,objsize}".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 16384
#define MAX_PAGES 16384
#define ROUNDS 4

#define NR_CACHES 2
static const char *const caches[NR_CACHES] = { "anon_vma", "anon_vma_chain" };

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void report(const char *name, unsigned long ops, unsigned long long ns)
{
	printf("costbench.%s.ops %lu\ncostbench.%s.ns %llu\n"
	       "costbench.%s.ns_per_op %llu\n",
	       name, ops, name, ns, name, ns / ops);
}

/*
 * active_objs and objsize of each of caches[], from /proc/slabinfo, after
 * a shrink of each cache: SLUB counts every object of a per-CPU slab as
 * active, freed or not; the shrink flushes those slabs to the node lists,
 * where the free ones are counted, so active_objs is the objects in use.
 */
static void slab_read(unsigned long active[NR_CACHES],
		      unsigned long objsize[NR_CACHES])
{
	char line[512], name[64];
	unsigned long a, n, s;
	int found[NR_CACHES] = { 0 };
	FILE *f;

	for (size_t i = 0; i < NR_CACHES; i++) {
		snprintf(line, sizeof(line), "/sys/kernel/slab/%s/shrink",
			 caches[i]);
		f = fopen(line, "w");
		if (!f || fputs("1", f) == EOF || fclose(f))
			al_die("%s: %s", line, strerror(errno));
	}
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		al_die("/proc/slabinfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lu %lu %lu", name, &a, &n, &s) != 4)
			continue;
		for (size_t i = 0; i < NR_CACHES; i++)
			if (!strcmp(name, caches[i])) {
				active[i] = a;
				objsize[i] = s;
				found[i] = 1;
			}
	}
	fclose(f);
	for (size_t i = 0; i < NR_CACHES; i++)
		if (!found[i])
			al_die("no %s line in /proc/slabinfo (boot with slab_nomerge)",
			       caches[i]);
}

/* Map and fault n isolated one-page VMAs into v[]; fault untimed. */
static void map_set(char **v, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		v[i] = al_map_isolated(1);
}

static unsigned long long fault_set(char **v, unsigned long n)
{
	unsigned long long t0 = now_ns();

	for (unsigned long i = 0; i < n; i++)
		al_touch(v[i], 1, (char)i);
	return now_ns() - t0;
}

static unsigned long long unmap_set(char **v, unsigned long n)
{
	unsigned long long t0 = now_ns();

	for (unsigned long i = 0; i < n; i++)
		if (munmap(v[i], al_page))
			al_die("munmap: %s", strerror(errno));
	return now_ns() - t0;
}

/* VMAs of /proc/self/maps that lie within [p, p + len). */
static unsigned long count_vmas(const char *p, size_t len)
{
	char line[512];
	unsigned long start, end, n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		al_die("/proc/self/maps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 &&
		    start >= (unsigned long)p && end <= (unsigned long)(p + len))
			n++;
	fclose(f);
	return n;
}

/* P one-page VMAs side by side, protections RW and RWX in turn. */
static char *map_alternating(unsigned long p)
{
	char *q = al_map_isolated(p);

	for (unsigned long i = 1; i < p; i += 2)
		if (mprotect(q + i * al_page, al_page,
			     PROT_READ | PROT_WRITE | PROT_EXEC))
			al_die("mprotect: %s", strerror(errno));
	if (count_vmas(q, p * al_page) != p)
		al_die("costbench: %lu VMAs where %lu were made",
		       count_vmas(q, p * al_page), p);
	return q;
}

int w_costbench(int argc, char **argv)
{
	static char *a[MAX_VMAS], *b[MAX_VMAS];
	unsigned long before[NR_CACHES], faulted[NR_CACHES], forked[NR_CACHES];
	unsigned long objsize[NR_CACHES];
	unsigned long long t0, ns;
	unsigned long n, np;
	char *q;

	if (argc != 3)
		al_die("usage: costbench N P");
	n = al_count_arg(argv[1], MAX_VMAS);
	np = al_count_arg(argv[2], MAX_PAGES);
	if (!al_have_swap())
		al_die("no swap device is on: costbench needs one");

	/* fault, and the slab objects it adds */
	map_set(a, n);
	slab_read(before, objsize);
	ns = fault_set(a, n);
	slab_read(faulted, objsize);
	report("fault", n, ns);

	/* munmap in a process that never forked */
	map_set(b, n);
	fault_set(b, n);
	report("munmap_nofork", n, unmap_set(b, n));

	/* the first fork upgrades, the second finds nothing to upgrade */
	t0 = now_ns();
	al_fork_reap();
	report("fork1", 1, now_ns() - t0);
	slab_read(forked, objsize);
	t0 = now_ns();
	al_fork_reap();
	report("fork2", 1, now_ns() - t0);

	if (al_verify(a[0], 1, 0) || al_verify(a[n - 1], 1, (char)(n - 1)))
		al_die("costbench: data of set A lost");
	report("munmap_forked", n, unmap_set(a, n));

	/* reclaim: rmap walks of P pages in P VMAs */
	q = map_alternating(np);
	ns = 0;
	for (int r = 0; r < ROUNDS; r++) {
		al_touch(q, np, (char)r);
		t0 = now_ns();
		if (madvise(q, np * al_page, MADV_PAGEOUT))
			al_die("madvise(MADV_PAGEOUT): %s", strerror(errno));
		ns += now_ns() - t0;
		if (al_count_swapped(q, np) != np)
			al_die("costbench: %zu of %lu pages swapped out, want all",
			       al_count_swapped(q, np), np);
	}
	if (al_verify(q, np, ROUNDS - 1))
		al_die("costbench: data lost across swap");
	report("pageout", np * ROUNDS, ns);

	for (size_t i = 0; i < NR_CACHES; i++)
		printf("costbench.slab.%s.before %lu\n"
		       "costbench.slab.%s.faulted %lu\n"
		       "costbench.slab.%s.forked %lu\n"
		       "costbench.slab.%s.objsize %lu\n",
		       caches[i], before[i], caches[i], faulted[i],
		       caches[i], forked[i], caches[i], objsize[i]);
	printf("costbench.vmas %lu\ncostbench.pages %lu\n", n, np);
	return 0;
}
