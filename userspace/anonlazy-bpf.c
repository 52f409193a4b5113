// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-bpf: the anonlazy module's counters, counted by BPF programs
 * (bpf/anonlazy.bpf.c) instead; see al_bpf_usage() and README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf_sock.h"
#include "esc.h"
#include "bpf_front.h"
#include "bpf_load.h"

static unsigned long blocks;

static int block(struct al_bpf *b, const struct al_bpf_opts *o)
{
	char err[512];

	if (blocks++)
		putchar('\n');
	if (al_bpf_print(b, stdout, o->show, err, sizeof(err))) {
		al_msg(stderr, AL_BPF_NAME, err);
		return -1;
	}
	return 0;
}

static pid_t spawn(char **cmd, const sigset_t *mask)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid)
		return pid;
	sigprocmask(SIG_SETMASK, mask, NULL);
	execvp(cmd[0], cmd);
	{
		char msg[1024], q[256];

		snprintf(msg, sizeof(msg), "cannot run '%s': %s",
			 al_esc(cmd[0], strlen(cmd[0]), q, sizeof(q)), strerror(errno));
		al_msg(stderr, AL_BPF_NAME, msg);
	}
	_exit(127);
}

static void add_secs(struct timespec *t, unsigned int s)
{
	t->tv_sec += s;
}

/* deadline - now, or 0 */
static struct timespec until(const struct timespec *deadline)
{
	struct timespec now, d = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > deadline->tv_sec ||
	    (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec))
		return d;
	d.tv_sec = deadline->tv_sec - now.tv_sec;
	d.tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (d.tv_nsec < 0) {
		d.tv_sec--;
		d.tv_nsec += 1000000000L;
	}
	return d;
}

/*
 * Wait for the signals in set (blocked): SIGCHLD ends a COMMAND, SIGINT
 * and SIGTERM a run without one (SIGTERM is passed on to a COMMAND; a
 * terminal's SIGINT reaches it by itself). Print at each interval.
 */
static int run(struct al_bpf *b, const struct al_bpf_opts *o,
	       const sigset_t *set, const sigset_t *old)
{
	struct timespec deadline;
	unsigned long printed = 0;
	pid_t child = -1;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	add_secs(&deadline, o->interval);
	if (o->cmd) {
		child = spawn(o->cmd, old);
		if (child < 0) {
			fprintf(stderr, AL_BPF_NAME ": fork: %s\n", strerror(errno));
			return AL_BPF_EXIT_ERROR;
		}
	}
	for (;;) {
		struct timespec left;
		int sig;

		if (o->interval) {
			left = until(&deadline);
			sig = sigtimedwait(set, NULL, &left);
		} else {
			sig = sigwaitinfo(set, NULL);
		}
		if (sig < 0 && errno == EAGAIN) {
			if (block(b, o))
				return AL_BPF_EXIT_ERROR;
			add_secs(&deadline, o->interval);
			if (o->count && ++printed == o->count)
				return 0;
			continue;
		}
		if (sig < 0)
			continue;	/* EINTR: another signal */
		if (sig == SIGCHLD) {
			if (child < 0 || waitpid(child, &status, WNOHANG) != child)
				continue;
			if (block(b, o))
				return AL_BPF_EXIT_ERROR;
			if (WIFSIGNALED(status))
				return 128 + WTERMSIG(status);
			return WEXITSTATUS(status);
		}
		if (child > 0) {
			if (sig == SIGTERM)
				kill(child, SIGTERM);
			continue;
		}
		if (!o->interval && block(b, o))
			return AL_BPF_EXIT_ERROR;
		return 0;
	}
}

int main(int argc, char **argv)
{
	struct al_bpf_sock *sock = NULL;
	struct al_bpf_opts o;
	sigset_t set, old;
	struct al_bpf *b;
	char err[1024];
	int rc;

	rc = al_bpf_front(argc, argv, &al_bpf_env_default,
			  al_bpf_cap_effective(), &o, stdout, stderr);
	if (rc >= 0)
		return rc;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	rc = al_bpf_start(&o, &al_bpf_env_default, &b, stderr, err, sizeof(err));
	if (rc) {
		al_msg(stderr, AL_BPF_NAME, err);
		return rc;
	}
	if (o.stats_socket) {
		sock = al_bpf_sock_start(b, o.stats_socket, err, sizeof(err));
		if (!sock) {
			al_msg(stderr, AL_BPF_NAME, err);
			al_bpf_stop(b);
			return AL_BPF_EXIT_ERROR;
		}
	}
	rc = run(b, &o, &set, &old);
	al_bpf_sock_stop(sock);
	al_bpf_stop(b);
	return rc;
}
