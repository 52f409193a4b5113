// SPDX-License-Identifier: GPL-2.0
/*
 * upgrade S K N [pageout|idle]: how long the upgrade of a big lazy root
 * holds its hashed lazy lock, seen from another process's rmap walks (make
 * bench, not a test).
 *
 * Two processes. B is forked first, before anything is faulted, so none
 * of its VMAs comes from a fork of a lazy root: it maps N separate
 * one-page anonymous VMAs (an unmapped page between neighbours, so none
 * merges), faults each (on an ANON_VMA_LAZY kernel with vm.anon_vma_lazy=1
 * each is a lazy root of its own, its lock one of the 256 hashed ones,
 * spread over all of them), then walks their rmaps one VMA at a time for
 * as long as the run lasts, each call timed with CLOCK_MONOTONIC, in one
 * of two ways:
 *   pageout  MADV_PAGEOUT of the VMA's page (reclaim of its folio:
 *            try_to_unmap() walks its rmap, taking its root's lazy lock
 *            for reading), then a write to it (swap-in, not timed);
 *   idle     its PFN's bit written to /sys/kernel/mm/page_idle/bitmap:
 *            page_idle_clear_pte_refs() walks its rmap (rmap_walk(), no
 *            trylock, so it waits for the lazy lock) and clears the young
 *            bits, the walk folio_referenced() does, at a tenth of the
 *            cost of a pageout: one pass over the N VMAs is shorter than
 *            an upgrade of 1 GiB, so the VMAs that share the upgrade's
 *            bucket are walked while it runs.
 * B runs on CPU 0.
 *
 * A, on CPU 1, runs K rounds. Each maps a fresh VMA of S MiB
 * (MADV_NOHUGEPAGE: 4 KiB PTEs, the most entries for the upgrade's walk
 * to visit), faults every page in (MADV_POPULATE_WRITE, then a write to
 * each: phase prep), then mprotect()s one page
 * in its middle read-only: the split clones the VMA, which upgrades the
 * lazy root first, and the upgrade walks all S MiB of page tables under
 * the lazy lock of A's VMA held for writing (phase upgrade; the call is
 * timed). Then A spins in user space for as long as the mprotect took,
 * 100 ms at least (phase base: B's baseline, with both CPUs busy as during
 * the upgrade), and unmaps the VMA.
 *
 * A publishes the phase as one number, gen = 3 * round + phase (prep 0,
 * upgrade 1, base 2), in memory both share. B reads gen before and after
 * each MADV_PAGEOUT: a call that saw an upgrade gen, or spanned one,
 * overlapped that round's upgrade ("during"); a call that began and ended
 * in a base gen is "base"; the rest (prep, between rounds) is "other".
 * Per round and class: calls, the longest and a p99 (log-linear histogram,
 * 8 steps an octave: the upper bound of the bucket, at most 12.5% over).
 *
 * About 4 of B's N = 1024 VMAs share the bucket of A's VMA: a pageout of
 * one of them while the upgrade runs waits for its end. So the longest
 * "during" call approaches the upgrade's hold, and the mprotect time
 * bounds the hold from above (it adds the split, the allocations and the
 * wait for the lock).
 *
 * After the rounds B checks that its calls walked: pageout, every VMA out
 * once more and the pages /proc/self/pagemap shows swapped; idle, every
 * bit written once more and the pages the bitmap then shows idle (the
 * walk ran and found them not young). b_checked is that count, of N. A
 * reads its VMA's smaps state (AnonVMA:) before and after the mprotect of
 * each round.
 *
 * Prints "upgrade.<key> <value>" lines: upgrade.s_mib, .rounds, .b_vmas,
 * .b_method, .b_checked, .b_calls, .other.{n,max_ns}, and per round r
 * upgrade.round<r>.{fault_ns,mprotect_ns,window_ns,state_before,
 * state_after,during.{n,max_ns,p99_ns},base.{n,max_ns,p99_ns}}.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "anonlazy.h"
#include "common.h"
#include "scenarios.h"

#define MAX_MIB 65536
#define MAX_ROUNDS 64
#define MAX_B_VMAS 65536
#define MIN_WINDOW_NS 100000000ULL	/* the shortest baseline window */
#define HIST 320			/* log-linear: see hist_index() */
#define PAGE_IDLE_BITMAP "/sys/kernel/mm/page_idle/bitmap"
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

enum { PH_PREP, PH_UPGRADE, PH_BASE, NR_PH };

struct lat {
	unsigned long long n, max_ns;
	unsigned long long hist[HIST];
};

struct round {
	unsigned long long fault_ns, mprotect_ns, window_ns;
	char state_before[16], state_after[16];
	struct lat during, base;
};

/* Shared by A and B (MAP_SHARED, set up before the fork). */
struct shared {
	atomic_ulong gen;	/* 3 * round + phase, written by A */
	atomic_int b_ready, stop;
	unsigned long long b_calls, b_checked;
	struct lat other;
	struct round round[MAX_ROUNDS];
};

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* 0..15 exact, then 8 buckets an octave: 2^b * (8 + sub) / 8. */
static unsigned int hist_index(unsigned long long v)
{
	unsigned int b, idx;

	if (v < 16)
		return (unsigned int)v;
	b = 63 - (unsigned int)__builtin_clzll(v);
	idx = 16 + (b - 4) * 8 + (unsigned int)((v >> (b - 3)) & 7);
	return idx < HIST ? idx : HIST - 1;
}

/* The largest value bucket idx holds. */
static unsigned long long hist_top(unsigned int idx)
{
	unsigned int b, sub;

	if (idx < 16)
		return idx;
	b = (idx - 16) / 8 + 4;
	sub = (idx - 16) % 8;
	return ((8ULL + sub) << (b - 3)) + (1ULL << (b - 3)) - 1;
}

static void lat_add(struct lat *l, unsigned long long ns)
{
	l->n++;
	if (ns > l->max_ns)
		l->max_ns = ns;
	l->hist[hist_index(ns)]++;
}

/* The upper bound of the bucket holding the 99th percentile (0: none). */
static unsigned long long lat_p99(const struct lat *l)
{
	unsigned long long want = (l->n * 99 + 99) / 100, seen = 0;

	for (unsigned int i = 0; i < HIST; i++) {
		seen += l->hist[i];
		if (seen >= want && l->n)
			return hist_top(i) < l->max_ns ? hist_top(i) : l->max_ns;
	}
	return 0;
}

static void lat_print(const char *prefix, const char *name, const struct lat *l)
{
	printf("%s%s.n %llu\n%s%s.max_ns %llu\n%s%s.p99_ns %llu\n",
	       prefix, name, l->n, prefix, name, l->max_ns,
	       prefix, name, lat_p99(l));
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		al_die("sched_setaffinity(CPU %d): %s", cpu, strerror(errno));
}

/* The AnonVMA: state of the VMA at addr in our smaps, or "absent". */
static void smaps_state(const void *addr, char *out, size_t len)
{
	uintptr_t a = (uintptr_t)addr, start, end;
	char line[256], state[16];
	int inside = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	snprintf(out, len, "absent");
	if (!f)
		al_die("/proc/self/smaps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (line[0] != ' ' && strchr(line, '-') &&
		    sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			inside = start <= a && a < end;
			continue;
		}
		if (inside && !strncmp(line, ANONLAZY_SMAPS_KEY, strlen(ANONLAZY_SMAPS_KEY)) &&
		    sscanf(line + strlen(ANONLAZY_SMAPS_KEY), "%15s", state) == 1) {
			snprintf(out, len, "%s", state);
			break;
		}
	}
	fclose(f);
}

/* The PFN of the page at p (present: B just wrote it). */
static uint64_t pfn_of(int fd, const char *p)
{
	uint64_t ent;
	off_t off = (off_t)((uintptr_t)p / al_page * 8);

	if (pread(fd, &ent, sizeof(ent), off) != sizeof(ent))
		al_die("pagemap read: %s", strerror(errno));
	if (!(ent >> 63) || !(ent & ((1ULL << 55) - 1)))
		al_die("pagemap: no PFN for a present page (not root?)");
	return ent & ((1ULL << 55) - 1);
}

/* Ask page_idle for the rmap walk of one PFN (sets its idle bit). */
static void idle_walk(int fd, uint64_t pfn)
{
	uint64_t word = 1ULL << (pfn % 64);

	if (pwrite(fd, &word, sizeof(word), (off_t)(pfn / 64 * 8)) != sizeof(word))
		al_die(PAGE_IDLE_BITMAP " write: %s", strerror(errno));
}

/* B: walk the rmaps of N one-page VMAs, one at a time, until A says stop. */
static void run_b(struct shared *sh, unsigned long n, int idle)
{
	static char *vma[MAX_B_VMAS];
	static uint64_t pfn[MAX_B_VMAS];
	unsigned long rounds = 0;
	int fd = -1;

	pin(0);
	for (unsigned long i = 0; i < n; i++) {
		vma[i] = al_map_isolated(1);
		al_touch(vma[i], 1, (char)i);
	}
	if (idle) {
		int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

		if (pm < 0)
			al_die("/proc/self/pagemap: %s", strerror(errno));
		for (unsigned long i = 0; i < n; i++)
			pfn[i] = pfn_of(pm, vma[i]);
		close(pm);
		fd = open(PAGE_IDLE_BITMAP, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			al_die(PAGE_IDLE_BITMAP ": %s", strerror(errno));
	}
	atomic_store(&sh->b_ready, 1);
	while (!atomic_load(&sh->stop)) {
		for (unsigned long i = 0; i < n; i++) {
			unsigned long g0, g1;
			unsigned long long t0, t1;

			g0 = atomic_load(&sh->gen);
			t0 = now_ns();
			if (idle)
				idle_walk(fd, pfn[i]);
			else if (madvise(vma[i], al_page, MADV_PAGEOUT))
				al_die("madvise(MADV_PAGEOUT): %s", strerror(errno));
			t1 = now_ns();
			g1 = atomic_load(&sh->gen);
			sh->b_calls++;
			/*
			 * Some gen in [g0, g1] is an upgrade's: the call
			 * overlapped the upgrade of round (g0 + 1) / 3.
			 */
			if ((g0 % NR_PH == PH_UPGRADE || g1 % NR_PH == PH_UPGRADE ||
			     g1 - g0 >= 2) && (g0 + 1) / NR_PH < MAX_ROUNDS)
				lat_add(&sh->round[(g0 + 1) / NR_PH].during, t1 - t0);
			else if (g0 == g1 && g0 % NR_PH == PH_BASE)
				lat_add(&sh->round[g0 / NR_PH].base, t1 - t0);
			else
				lat_add(&sh->other, t1 - t0);
			if (!idle)
				al_touch(vma[i], 1, (char)(i + rounds + 1));
		}
		rounds++;
	}
	/* Once more, every VMA: did the calls walk? */
	if (idle) {
		for (unsigned long i = 0; i < n; i++)
			idle_walk(fd, pfn[i]);
		for (unsigned long i = 0; i < n; i++) {
			uint64_t word;

			if (pread(fd, &word, sizeof(word), (off_t)(pfn[i] / 64 * 8)) !=
			    sizeof(word))
				al_die(PAGE_IDLE_BITMAP " read: %s", strerror(errno));
			sh->b_checked += (word >> (pfn[i] % 64)) & 1;
		}
		close(fd);
		rounds = 0;	/* the data: as first written */
	} else {
		for (unsigned long i = 0; i < n; i++)
			if (madvise(vma[i], al_page, MADV_PAGEOUT))
				al_die("madvise(MADV_PAGEOUT): %s", strerror(errno));
		for (unsigned long i = 0; i < n; i++)
			sh->b_checked += al_count_swapped(vma[i], 1);
	}
	for (unsigned long i = 0; i < n; i++)
		if (al_verify(vma[i], 1, (char)(i + rounds)))
			al_die("upgrade: B's VMA %lu lost its data", i);
}

int w_upgrade(int argc, char **argv)
{
	unsigned long mib, k, n, npages;
	struct shared *sh;
	int status, idle = 0;
	pid_t b;

	if (argc != 4 && argc != 5)
		al_die("usage: upgrade S K N [pageout|idle]");
	mib = al_count_arg(argv[1], MAX_MIB);
	k = al_count_arg(argv[2], MAX_ROUNDS);
	n = al_count_arg(argv[3], MAX_B_VMAS);
	if (argc == 5 && !strcmp(argv[4], "idle"))
		idle = 1;
	else if (argc == 5 && strcmp(argv[4], "pageout"))
		al_die("upgrade: B's walk '%s': pageout or idle", argv[4]);
	if (!idle && !al_have_swap())
		al_die("no swap device is on: upgrade needs one for MADV_PAGEOUT");
	if (idle && access(PAGE_IDLE_BITMAP, W_OK))
		al_die(PAGE_IDLE_BITMAP ": %s", strerror(errno));
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		al_die("upgrade needs 2 CPUs");
	npages = mib * (1024 * 1024 / al_page);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		al_die("mmap shared: %s", strerror(errno));
	memset(sh, 0, sizeof(*sh));
	fflush(stdout);

	b = fork();
	if (b < 0)
		al_die("fork: %s", strerror(errno));
	if (b == 0) {
		run_b(sh, n, idle);
		_exit(0);
	}

	pin(1);
	while (!atomic_load(&sh->b_ready)) {
		if (waitpid(b, &status, WNOHANG) == b)
			al_die("B ended before it was ready (status %#x)", status);
		usleep(1000);
	}
	for (unsigned long r = 0; r < k; r++) {
		struct round *rd = &sh->round[r];
		unsigned long long t0, t1, end;
		char *p, *mid;

		atomic_store(&sh->gen, NR_PH * r + PH_PREP);
		p = al_map_isolated(npages);
		mid = p + npages / 2 * al_page;
		t0 = now_ns();
		/* the same first faults, without a trap per page under TCG */
		if (madvise(p, npages * al_page, MADV_POPULATE_WRITE) && errno != EINVAL)
			al_die("madvise(MADV_POPULATE_WRITE): %s", strerror(errno));
		al_touch(p, npages, (char)r);
		rd->fault_ns = now_ns() - t0;
		smaps_state(mid, rd->state_before, sizeof(rd->state_before));

		atomic_store(&sh->gen, NR_PH * r + PH_UPGRADE);
		t0 = now_ns();
		if (mprotect(mid, al_page, PROT_READ))
			al_die("mprotect: %s", strerror(errno));
		t1 = now_ns();
		atomic_store(&sh->gen, NR_PH * r + PH_BASE);
		rd->mprotect_ns = t1 - t0;
		rd->window_ns = rd->mprotect_ns > MIN_WINDOW_NS ?
				rd->mprotect_ns : MIN_WINDOW_NS;
		end = t1 + rd->window_ns;
		while (now_ns() < end)
			;	/* busy, as during the upgrade */

		atomic_store(&sh->gen, NR_PH * (r + 1) + PH_PREP);
		smaps_state(p, rd->state_after, sizeof(rd->state_after));
		if (al_verify(p, npages, (char)r))
			al_die("upgrade: A's VMA lost data in round %lu", r);
		if (munmap(p, npages * al_page))
			al_die("munmap: %s", strerror(errno));
	}
	atomic_store(&sh->stop, 1);
	if (waitpid(b, &status, 0) != b)
		al_die("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		al_die("B ended with status %#x", status);

	printf("upgrade.s_mib %lu\nupgrade.rounds %lu\nupgrade.b_vmas %lu\n",
	       mib, k, n);
	printf("upgrade.b_method %s\nupgrade.b_checked %llu\nupgrade.b_calls %llu\n",
	       idle ? "idle" : "pageout", sh->b_checked, sh->b_calls);
	lat_print("upgrade.", "other", &sh->other);
	for (unsigned long r = 0; r < k; r++) {
		const struct round *rd = &sh->round[r];
		char prefix[32];

		snprintf(prefix, sizeof(prefix), "upgrade.round%lu.", r);
		printf("%sfault_ns %llu\n%smprotect_ns %llu\n%swindow_ns %llu\n",
		       prefix, rd->fault_ns, prefix, rd->mprotect_ns,
		       prefix, rd->window_ns);
		printf("%sstate_before %s\n%sstate_after %s\n",
		       prefix, rd->state_before, prefix, rd->state_after);
		lat_print(prefix, "during", &rd->during);
		lat_print(prefix, "base", &rd->base);
	}
	return 0;
}
