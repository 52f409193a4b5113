// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: the stats FIFO (--stats-fifo). */
#define _GNU_SOURCE
#include "bpf_fifo.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf_load.h"
#include "bpf_opts.h"

struct al_bpf_fifo {
	struct al_bpf *b;
	char *path;
	int inotify;	/* the FIFO's closes */
	pthread_t thread;
	volatile bool stop;
};

/*
 * Wait until a reader has closed the FIFO. The writer must not open it
 * again before: a reader still holding it would get the next text too,
 * or leave it in the pipe for the reader after.
 */
static void reader_closed(struct al_bpf_fifo *s)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (;;) {
		ssize_t n = read(s->inotify, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			if (ev->mask & IN_CLOSE_NOWRITE)
				return;
			p += sizeof(*ev) + ev->len;
		}
	}
}

static void *serve(void *arg)
{
	struct al_bpf_fifo *s = arg;
	sigset_t pipe;

	/* A reader that leaves early costs an EPIPE, not the process. */
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, NULL);
	while (!s->stop) {
		char err[512];
		FILE *f;
		int fd;

		fd = open(s->path, O_WRONLY | O_CLOEXEC);	/* waits for a reader */
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, AL_BPF_NAME ": %s: %s\n", s->path, strerror(errno));
			return NULL;
		}
		if (s->stop) {
			close(fd);
			return NULL;
		}
		f = fdopen(fd, "w");
		if (!f) {
			close(fd);
			continue;
		}
		if (al_bpf_print(s->b, f, 1U << AL_BPF_SEC_STATS, err, sizeof(err)))
			fprintf(stderr, AL_BPF_NAME ": %s\n", err);
		fclose(f);
		reader_closed(s);
	}
	return NULL;
}

struct al_bpf_fifo *al_bpf_fifo_start(struct al_bpf *b, const char *path,
				      char *err, size_t errlen)
{
	struct al_bpf_fifo *s = calloc(1, sizeof(*s));
	int e;

	if (!s || !(s->path = strdup(path))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->b = b;
	s->inotify = -1;
	if (mkfifo(path, 0600)) {
		snprintf(err, errlen, "--stats-fifo %s: %s", path, strerror(errno));
		goto free;
	}
	s->inotify = inotify_init1(IN_CLOEXEC);
	if (s->inotify < 0 || inotify_add_watch(s->inotify, path, IN_CLOSE_NOWRITE) < 0) {
		snprintf(err, errlen, "--stats-fifo %s: inotify: %s", path, strerror(errno));
		goto unlink;
	}
	e = pthread_create(&s->thread, NULL, serve, s);
	if (e) {
		snprintf(err, errlen, "--stats-fifo: no thread: %s", strerror(e));
		goto unlink;
	}
	return s;
unlink:
	if (s->inotify >= 0)
		close(s->inotify);
	unlink(path);
free:
	free(s->path);
	free(s);
	return NULL;
}

void al_bpf_fifo_stop(struct al_bpf_fifo *s)
{
	int fd;

	if (!s)
		return;
	s->stop = true;
	/*
	 * Open and close it as a reader: that ends the open() the thread may
	 * wait in (a FIFO's writer waits for a reader's open, not for a
	 * reader still there) and the wait for a reader's close.
	 */
	fd = open(s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	pthread_join(s->thread, NULL);
	close(s->inotify);
	unlink(s->path);
	free(s->path);
	free(s);
}
