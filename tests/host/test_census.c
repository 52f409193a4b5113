// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the census: the census and processes tables of the shared
 * header (every slot named, names unique and made of [a-z_], so that the
 * module's files and their readers agree on every key and column), and the
 * decisions module/census.c takes from the header (the state of a VMA, the
 * estimate rules), on synthetic systems whose answers are worked out by
 * hand below.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
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

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The test's own mult(av) and distinct count over a sorted array. */
static unsigned long count_equal(const unsigned long *a, unsigned long n, unsigned long v)
{
	unsigned long c = 0;

	for (unsigned long i = 0; i < n; i++)
		c += a[i] == v;
	return c;
}

static unsigned long count_distinct(const unsigned long *a, unsigned long n)
{
	unsigned long d = 0;

	for (unsigned long i = 0; i < n; i++)
		d += !i || a[i] != a[i - 1];
	return d;
}

/*
 * A synthetic system: regular VMAs, each with its own anon_vma (av) and
 * its chain (the anon_vmas its anon_vma_chain entries point to). hugetlb
 * VMAs are passed with chain length 0 to the estimate, as the module does.
 */
struct svma {
	unsigned long av;
	int hugetlb;
	int nchain;
	unsigned long chain[4];
};

struct est {
	unsigned long lazy, parent, anon_vmas, chains;
};

/*
 * The estimate module/census.c computes: mult(av) = the chain entries
 * system-wide that point to av, then the header's rule per regular VMA.
 */
static struct est estimate(const struct svma *v, int n)
{
	unsigned long avcs[64];
	unsigned long navcs = 0;
	struct est e = { 0, 0, 0, 0 };

	for (int i = 0; i < n; i++)
		for (int j = 0; j < v[i].nchain; j++)
			avcs[navcs++] = v[i].chain[j];
	qsort(avcs, navcs, sizeof(avcs[0]), cmp_ulong);
	e.anon_vmas = count_distinct(avcs, navcs);
	e.chains = navcs;
	for (int i = 0; i < n; i++) {
		unsigned long chain = v[i].hugetlb ? 0 : (unsigned long)v[i].nchain;

		switch (anonlazy_census_estimate(chain,
						 count_equal(avcs, navcs, v[i].av))) {
		case ANONLAZY_EST_LAZY_ROOT:
			e.lazy++;
			break;
		case ANONLAZY_EST_PARENT_LINK:
			e.parent++;
			break;
		}
	}
	return e;
}

static int est_is(struct est e, unsigned long lazy, unsigned long parent,
		  unsigned long anon_vmas, unsigned long chains)
{
	if (e.lazy == lazy && e.parent == parent && e.anon_vmas == anon_vmas &&
	    e.chains == chains)
		return 1;
	printf("  got lazy %lu parent %lu anon_vmas %lu chains %lu, want %lu %lu %lu %lu\n",
	       e.lazy, e.parent, e.anon_vmas, e.chains, lazy, parent, anon_vmas, chains);
	return 0;
}

/* anon_vma addresses: 64-byte aligned, as a slab object is */
#define AV(n)	(0xffff888000100000UL + (n) * 0x40UL)

static void test_state(void)
{
	unsigned long p = AV(7);

	CHECK(anonlazy_census_state(0) == ANONLAZY_CST_NONE, "state: NULL is none");
	CHECK(anonlazy_census_state(p) == ANONLAZY_CST_REGULAR, "state: tag 0 is regular");
	CHECK(anonlazy_census_state(p | ANONLAZY_TREE_VMA) == ANONLAZY_CST_LAZY,
	      "state: tag 1 is a lazy root");
	CHECK(anonlazy_census_state(p | ANONLAZY_TREE_PARENT) == ANONLAZY_CST_PARENT,
	      "state: tag 2 is parent-linked");
	CHECK(anonlazy_census_state(p | ANONLAZY_TREE_MASK) == ANONLAZY_CST_INVALID,
	      "state: tag 3 is invalid, not regular");
	CHECK(anonlazy_census_state(ANONLAZY_TREE_VMA) == ANONLAZY_CST_LAZY,
	      "state: only the tag bits decide");
	CHECK(ANONLAZY_CENSUS_VMAS_NONE + ANONLAZY_CST_INVALID == ANONLAZY_CENSUS_VMAS_INVALID &&
	      ANONLAZY_CENSUS_VMAS_NONE + ANONLAZY_CST_REGULAR == ANONLAZY_CENSUS_VMAS_REGULAR &&
	      ANONLAZY_CENSUS_VMAS_NONE + ANONLAZY_CST_LAZY == ANONLAZY_CENSUS_VMAS_LAZY &&
	      ANONLAZY_CENSUS_VMAS_NONE + ANONLAZY_CST_PARENT == ANONLAZY_CENSUS_VMAS_PARENT,
	      "state: vmas_none + state is the state's census key");
}

static void test_rules(void)
{
	CHECK(anonlazy_census_estimate(1, 1) == ANONLAZY_EST_LAZY_ROOT,
	      "estimate: chain 1, linked by itself alone: lazy root");
	CHECK(anonlazy_census_estimate(2, 1) == ANONLAZY_EST_PARENT_LINK &&
	      anonlazy_census_estimate(3, 1) == ANONLAZY_EST_PARENT_LINK,
	      "estimate: chain 2 or more, own anon_vma linked once: parent link");
	CHECK(anonlazy_census_estimate(1, 2) == ANONLAZY_EST_NONE &&
	      anonlazy_census_estimate(2, 2) == ANONLAZY_EST_NONE &&
	      anonlazy_census_estimate(1, 5) == ANONLAZY_EST_NONE,
	      "estimate: an anon_vma linked by another VMA too: nothing saved");
	CHECK(anonlazy_census_estimate(1, 0) == ANONLAZY_EST_NONE,
	      "estimate: own anon_vma not on any chain: nothing saved");
	CHECK(anonlazy_census_estimate(0, 1) == ANONLAZY_EST_NONE,
	      "estimate: chain 0 (hugetlb): left out");
}

static void test_systems(void)
{
	/* 3 VMAs that each faulted once, never shared. */
	struct svma fresh[] = {
		{ AV(1), 0, 1, { AV(1) } },
		{ AV(2), 0, 1, { AV(2) } },
		{ AV(3), 0, 1, { AV(3) } },
	};
	/*
	 * Fork: parent VMA (av 1); the child's copy has its own av 2 and the
	 * chain [1, 2]. av 1 is linked twice: the parent saves nothing; the
	 * child would be parent-linked.
	 */
	struct svma fork[] = {
		{ AV(1), 0, 1, { AV(1) } },
		{ AV(2), 0, 2, { AV(1), AV(2) } },
	};
	/* A grandchild too: child av 2 [1, 2], grandchild av 3 [1, 2, 3]. */
	struct svma fork2[] = {
		{ AV(1), 0, 1, { AV(1) } },
		{ AV(2), 0, 2, { AV(1), AV(2) } },
		{ AV(3), 0, 3, { AV(1), AV(2), AV(3) } },
	};
	/* Split: two halves of one VMA share av 1, one chain entry each. */
	struct svma split[] = {
		{ AV(1), 0, 1, { AV(1) } },
		{ AV(1), 0, 1, { AV(1) } },
	};
	/* The parent exited: the child's chain [1, 2] is all that links av 1. */
	struct svma orphan[] = {
		{ AV(2), 0, 2, { AV(1), AV(2) } },
	};
	/* hugetlb: a fresh VMA, but never estimated. */
	struct svma huge[] = {
		{ AV(1), 1, 1, { AV(1) } },
		{ AV(2), 0, 1, { AV(2) } },
	};
	/*
	 * A fork child reused an anon_vma (anon_vma_fork() found one with no
	 * VMA): child VMA's own av is 1, chain [1]; the parent's other VMA
	 * keeps av 1 too: linked twice.
	 */
	struct svma reuse[] = {
		{ AV(1), 0, 1, { AV(1) } },
		{ AV(1), 0, 1, { AV(1) } },
		{ AV(4), 0, 1, { AV(4) } },
	};

	CHECK(est_is(estimate(fresh, 3), 3, 0, 3, 3),
	      "system: 3 fresh VMAs are 3 lazy roots");
	CHECK(est_is(estimate(fork, 2), 0, 1, 2, 3),
	      "system: fork: parent nothing, child parent-linked");
	CHECK(est_is(estimate(fork2, 3), 0, 1, 3, 6),
	      "system: two generations: only the youngest is parent-linked");
	CHECK(est_is(estimate(split, 2), 0, 0, 1, 2),
	      "system: split halves sharing an anon_vma: nothing");
	CHECK(est_is(estimate(orphan, 1), 0, 1, 2, 2),
	      "system: child of an exited parent: parent-linked (upper bound)");
	CHECK(est_is(estimate(huge, 2), 1, 0, 2, 2),
	      "system: hugetlb VMA left out of the estimate");
	CHECK(est_is(estimate(reuse, 3), 1, 0, 2, 3),
	      "system: a reused anon_vma is shared: only the other VMA counts");
	CHECK(est_is(estimate(fresh, 0), 0, 0, 0, 0), "system: no VMA, no estimate");
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
	test_state();
	test_rules();
	test_systems();
	return test_exit();
}
