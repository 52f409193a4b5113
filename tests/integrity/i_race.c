// SPDX-License-Identifier: GPL-2.0
/*
 * Migration racing with what ends a lazy root's life: a thread moves a
 * freshly faulted VMA's pages to the other NUMA node while the main
 * thread munmaps the VMA (the root dies under the migration), forks
 * (upgrade), splits it (upgrade through anon_vma_clone) or pages it out
 * (another lazy walker). The data must survive every round that keeps
 * it, and the kernel log must stay clean (vm-run checks it).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integ.h"

#define N 16
#define ROUNDS 120

struct mover {
	pthread_barrier_t start;
	char *p;
	int node;
};

static void *move(void *arg)
{
	struct mover *m = arg;
	void *pages[N];
	int nodes[N], status[N];

	for (int i = 0; i < N; i++) {
		pages[i] = m->p + i * al_page;
		nodes[i] = m->node;
	}
	pthread_barrier_wait(&m->start);
	/* Pages may vanish under it (munmap): per-page errors are fine. */
	syscall(SYS_move_pages, 0, N, pages, nodes, status, 1 << 1);
	return NULL;
}

/* One round; returns true when the data that should survive did. */
static bool round_of(int kind, unsigned int seed)
{
	struct mover m = { .p = al_map_isolated(N), .node = seed & 1 };
	bool good = true;
	pthread_t t;
	int status;
	pid_t pid;

	fill(m.p, N, seed);
	if (pthread_barrier_init(&m.start, NULL, 2) ||
	    pthread_create(&t, NULL, move, &m))
		al_die("pthread");
	pthread_barrier_wait(&m.start);
	switch (kind) {
	case 0:
		munmap(m.p, N * al_page);
		break;
	case 1:
		pid = fork();
		if (pid == 0)
			_exit(bad_pages(m.p, N, seed) ? 1 : 0);
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			al_die("fork");
		good = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		break;
	case 2:
		if (mprotect(m.p + 4 * al_page, 4 * al_page, PROT_READ))
			al_die("mprotect");
		break;
	default:
		madvise(m.p, N * al_page, MADV_PAGEOUT);
		break;
	}
	pthread_join(t, NULL);
	pthread_barrier_destroy(&m.start);
	if (kind != 0) {
		good = good && bad_pages(m.p, N, seed) == 0;
		munmap(m.p, N * al_page);
	}
	return good;
}

int t_race(void)
{
	static const char * const what[] = { "munmap", "fork", "split", "pageout" };
	int bad[4] = { 0 };

	if (access("/sys/devices/system/node/node1", F_OK)) {
		skip("race: the machine has one NUMA node");
		return 0;
	}
	for (int r = 0; r < ROUNDS; r++)
		bad[r % 4] += !round_of(r % 4, 100 + r);
	for (int k = 0; k < 4; k++)
		ok(bad[k] == 0, "race: migration against %s, %d rounds: %d lost data",
		   what[k], ROUNDS / 4, bad[k]);
	return 0;
}
