// SPDX-License-Identifier: GPL-2.0
/*
 * alwork: controlled anon_vma workloads for the guest tests.
 *
 *   alwork fault N        fault N fresh separate VMAs
 *   alwork fork N         fork once as is, then again holding N more VMAs
 *   alwork split          split VMAs with mprotect and munmap
 *   alwork mremap         move a VMA with mremap
 *   alwork pageout N      MADV_PAGEOUT N anon pages, then N shmem pages
 *   alwork reset          reset the counters and read them at once
 *   alwork write FILE S   write S to FILE, print the errno name
 *   alwork names          the counter names of include/anonlazy.h, in order
 *   alwork hold N K       fault N VMAs, fork K children, wait (benchmarks)
 *   alwork latency N      pageout N anon pages, walk counts and histograms
 *   alwork unmap N        fault N separate VMAs, then munmap them
 *   alwork forkreuse N    fork a grandchild whose anon_vmas are all reused
 *   alwork faultmap N     fault N as above, print the VMAs' addresses
 *   alwork tpmap N        an upgrade of each cause, and N lazy roots kept,
 *                         on VMAs whose addresses it prints
 *   alwork census N       census and processes around N faults and a fork
 *   alwork churn T        fork/fault/COW/split/exit children for T seconds
 *   alwork readloop T F.. read census/processes files for T seconds
 *   alwork censussnap     census snapshot generations and times
 *   alwork censuscomm     the processes line of a process with an empty comm
 *   alwork censustrunc N  a census that leaves this process's mm out
 *   alwork censussim N C  the exact estimate's simulation: N faults, a
 *                         child that exits, N partial unmaps, C VMAs churned
 *   alwork censusbench P V F T R  census of P x V VMAs: rate, mprotect latency
 *   alwork forkbench N K  time K fork+exit of a process with N VMAs
 *   alwork pageoutbench N K  time K rounds of faulting and paging out N pages
 *   alwork threadfault V T   T threads fault each of V fresh VMAs at once
 *   alwork forkstorm N K  a process per CPU with N VMAs forks K times at once
 *   alwork upgrade S K N [pageout|idle]  K upgrades of an S MiB lazy root,
 *                         timed, against another process's rmap walks
 *                         (MADV_PAGEOUT or page_idle) of N one-page VMAs
 *   alwork costbench N P  time fault, fork, munmap and MADV_PAGEOUT of N
 *                         (P) one-page VMAs; anon_vma slab objects
 *   alwork syscallbench N time N getppid() system calls (a probe's cost)
 *   alwork idlemove N     N page_idle walks racing UFFDIO_MOVE (alrace.ko)
 *   alwork inthread SCENARIO ARGS...  run SCENARIO in a second thread of the
 *                         process; prints inthread.pid and inthread.tid first
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} scenarios[] = {
	{ "fault", w_fault, "N" },
	{ "fork", w_fork, "N" },
	{ "split", w_split, "" },
	{ "mremap", w_mremap, "" },
	{ "pageout", w_pageout, "N" },
	{ "reset", w_reset, "" },
	{ "write", w_write, "FILE STRING" },
	{ "names", w_names, "" },
	{ "hold", w_hold, "N K" },
	{ "latency", w_latency, "N" },
	{ "unmap", w_unmap, "N" },
	{ "forkreuse", w_forkreuse, "N" },
	{ "faultmap", w_faultmap, "N" },
	{ "tpmap", w_tpmap, "N" },
	{ "census", w_census, "N" },
	{ "churn", w_churn, "T" },
	{ "readloop", w_readloop, "T FILE..." },
	{ "censussnap", w_censussnap, "" },
	{ "censuscomm", w_censuscomm, "" },
	{ "censustrunc", w_censustrunc, "N" },
	{ "censussim", w_censussim, "N C" },
	{ "censusbench", w_censusbench, "P V F T R" },
	{ "forkbench", w_forkbench, "N K" },
	{ "pageoutbench", w_pageoutbench, "N K" },
	{ "threadfault", w_threadfault, "V T" },
	{ "forkstorm", w_forkstorm, "N K" },
	{ "upgrade", w_upgrade, "S K N [pageout|idle]" },
	{ "costbench", w_costbench, "N P" },
	{ "syscallbench", w_syscallbench, "N" },
	{ "idlemove", w_idlemove, "N" },
};

static int usage(void)
{
	fprintf(stderr, "usage:\n");
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		fprintf(stderr, "  alwork %s %s\n", scenarios[i].name,
			scenarios[i].usage);
	return 2;
}

/* inthread: a scenario run by a thread that is not the process's first. */
struct inthread {
	int (*run)(int argc, char **argv);
	int argc;
	char **argv;
	int ret;
};

static void *inthread_main(void *arg)
{
	struct inthread *t = arg;

	printf("inthread.pid %d\n", (int)getpid());
	printf("inthread.tid %ld\n", (long)syscall(SYS_gettid));
	t->ret = t->run(t->argc, t->argv);
	return NULL;
}

int main(int argc, char **argv)
{
	int in_thread = 0;

	al_page = (size_t)sysconf(_SC_PAGESIZE);
	if (argc >= 3 && !strcmp(argv[1], "inthread")) {
		in_thread = 1;
		argc--;
		argv++;
	}
	if (argc < 2)
		return usage();
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(argv[1], scenarios[i].name)) {
			struct inthread t = { scenarios[i].run, argc - 1, argv + 1, 2 };
			pthread_t th;
			int err;

			al_pin_cpu0();
			if (!in_thread)
				return scenarios[i].run(argc - 1, argv + 1);
			err = pthread_create(&th, NULL, inthread_main, &t);
			if (err)
				al_die("pthread_create: %s", strerror(err));
			pthread_join(th, NULL);
			return t.ret;
		}
	fprintf(stderr, "alwork: unknown scenario '%s'\n", argv[1]);
	return usage();
}
