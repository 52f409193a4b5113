// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: the stats socket (--stats-socket). */
#define _GNU_SOURCE
#include "bpf_sock.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bpf_load.h"
#include "bpf_opts.h"

struct al_bpf_sock {
	struct al_bpf *b;
	char *path;
	int fd;		/* the listening socket */
	pthread_t thread;
	atomic_bool stop;
};

/* Print one stats text on a connection and close it. */
static void answer(struct al_bpf_sock *s, int fd)
{
	char err[512];
	FILE *f = fdopen(fd, "w");

	if (!f) {
		close(fd);
		return;
	}
	if (al_bpf_print(s->b, f, 1U << AL_BPF_SEC_STATS, err, sizeof(err)))
		fprintf(stderr, AL_BPF_NAME ": %s\n", err);
	fclose(f);
}

static void *serve(void *arg)
{
	struct al_bpf_sock *s = arg;
	sigset_t pipe;

	/* A reader that leaves early costs an EPIPE, not the process. */
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, NULL);
	for (;;) {
		int fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC);

		if (atomic_load(&s->stop)) {
			if (fd >= 0)
				close(fd);
			return NULL;
		}
		if (fd >= 0) {
			answer(s, fd);
			continue;
		}
		switch (errno) {
		case EINTR:
		case ECONNABORTED:
		case EMFILE:	/* transient: a reader gets nothing, not the server */
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			continue;
		}
		fprintf(stderr, AL_BPF_NAME ": --stats-socket %s: accept: %s\n",
			s->path, strerror(errno));
		return NULL;
	}
}

struct al_bpf_sock *al_bpf_sock_start(struct al_bpf *b, const char *path,
				      char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct al_bpf_sock *s;
	mode_t mask;
	int e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "--stats-socket %s: longer than %zu bytes",
			 path, sizeof(sa.sun_path) - 1);
		return NULL;
	}
	strcpy(sa.sun_path, path);
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->b = b;
	atomic_init(&s->stop, false);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		snprintf(err, errlen, "--stats-socket: socket: %s", strerror(errno));
		goto free;
	}
	/* The counters are root's: only the owner may connect. */
	mask = umask(0177);
	e = bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ? errno : 0;
	umask(mask);
	if (e) {
		snprintf(err, errlen, "--stats-socket %s: %s", path,
			 e == EADDRINUSE ? "already exists (remove it, or pick another path)"
					 : strerror(e));
		goto close;
	}
	if (listen(s->fd, 16)) {
		snprintf(err, errlen, "--stats-socket %s: listen: %s", path, strerror(errno));
		goto unlink;
	}
	e = pthread_create(&s->thread, NULL, serve, s);
	if (e) {
		snprintf(err, errlen, "--stats-socket: no thread: %s", strerror(e));
		goto unlink;
	}
	return s;
unlink:
	unlink(path);
close:
	close(s->fd);
free:
	free(s->path);
	free(s);
	return NULL;
}

void al_bpf_sock_stop(struct al_bpf_sock *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	/* Ends the accept() the thread waits in (EINVAL on Linux). */
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->fd);
	unlink(s->path);
	free(s->path);
	free(s);
}
