// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: the stats socket (--stats-socket), its requests. */
#define _GNU_SOURCE
#include "bpf_sock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bpf_load.h"
#include "bpf_opts.h"
#include "esc.h"

_Static_assert(sizeof(((struct sockaddr_un *)0)->sun_path) == AL_BPF_SOCK_PATH_MAX,
	       "bpf_opts.h's AL_BPF_SOCK_PATH_MAX is sun_path's size");

/* A connection waiting for its request line. */
struct pending {
	int fd;
	size_t len;
	long long deadline;	/* ms, CLOCK_MONOTONIC */
	char req[AL_BPF_SOCK_REQ_MAX];
};

struct al_bpf_sock {
	struct al_bpf *b;
	char *path;
	int fd;		/* the listening socket */
	int wake[2];	/* a byte on wake[1] stops the thread */
	pthread_t thread;
	int npend;
	struct pending pend[AL_BPF_SOCK_PENDING];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int al_bpf_sock_request(const char *req, size_t len, unsigned int *show,
			char *err, size_t errlen)
{
	char line[AL_BPF_SOCK_REQ_MAX], bad[AL_BPF_SOCK_REQ_MAX], q[80];
	const char *nl = memchr(req, '\n', len);

	if (nl)
		len = (size_t)(nl - req);
	if (len && req[len - 1] == '\r')
		len--;
	*show = 1U << AL_BPF_SEC_STATS;
	if (!len)
		return 0;
	if (len >= sizeof(line) || memchr(req, '\0', len)) {
		snprintf(err, errlen, "error: not a request line (want sections as -s takes them, e.g. 'stats,latency')");
		return -1;
	}
	memcpy(line, req, len);
	line[len] = '\0';
	if (!al_bpf_parse_sections(line, show, bad, sizeof(bad)))
		return 0;
	/* the client's bytes, escaped: the answer is one line of ASCII */
	if (bad[0])
		snprintf(err, errlen, "error: unknown section '%s'",
			 al_escs(bad, q, sizeof(q)));
	else
		snprintf(err, errlen, "error: an empty section name in '%s'",
			 al_escs(line, q, sizeof(q)));
	return -1;
}

/* Print the answer to the request p holds, and close the connection. */
static void answer(struct al_bpf_sock *s, struct pending *p)
{
	struct timeval tv = { AL_BPF_SOCK_SEND_MS / 1000,
			      AL_BPF_SOCK_SEND_MS % 1000 * 1000 };
	char err[512];
	unsigned int show;
	FILE *f;

	fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(p->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	f = fdopen(p->fd, "w");
	if (!f) {
		close(p->fd);
		return;
	}
	if (al_bpf_sock_request(p->req, p->len, &show, err, sizeof(err)))
		fprintf(f, "%s\n", err);
	else if (al_bpf_print(s->b, f, show, err, sizeof(err)))
		fprintf(stderr, AL_BPF_NAME ": %s\n", err);
	fclose(f);
}

static void drop(struct al_bpf_sock *s, int i)
{
	s->pend[i] = s->pend[--s->npend];
}

/*
 * Read what connection i sent: answer it when its request is whole (a
 * newline, its end of file, a full buffer), drop it on an error.
 */
static void take(struct al_bpf_sock *s, int i)
{
	struct pending *p = &s->pend[i];
	ssize_t r = read(p->fd, p->req + p->len, sizeof(p->req) - p->len);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r < 0) {
		close(p->fd);
		drop(s, i);
		return;
	}
	p->len += (size_t)r;
	if (r && p->len < sizeof(p->req) && !memchr(p->req, '\n', p->len))
		return;
	answer(s, p);
	drop(s, i);
}

static void accept_one(struct al_bpf_sock *s)
{
	int fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0) {
		switch (errno) {
		case EAGAIN:
		case EINTR:
		case ECONNABORTED:
		case EMFILE:	/* transient: a reader gets nothing, not the server */
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			return;
		}
		fprintf(stderr, AL_BPF_NAME ": --stats-socket %s: accept: %s\n",
			s->path, strerror(errno));
		return;
	}
	s->pend[s->npend] = (struct pending){
		.fd = fd, .deadline = now_ms() + AL_BPF_SOCK_WAIT_MS,
	};
	s->npend++;
}

static void *serve(void *arg)
{
	struct pollfd pfd[2 + AL_BPF_SOCK_PENDING];
	struct al_bpf_sock *s = arg;
	sigset_t pipe;

	/* A reader that leaves early costs an EPIPE, not the process. */
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, NULL);
	for (;;) {
		long long now = now_ms(), first = -1;
		int n = s->npend, timeout = -1;

		pfd[0] = (struct pollfd){ .fd = s->wake[0], .events = POLLIN };
		/* full: the next ones wait in the backlog */
		pfd[1] = (struct pollfd){ .fd = n < AL_BPF_SOCK_PENDING ? s->fd : -1,
					  .events = POLLIN };
		for (int i = 0; i < n; i++) {
			pfd[2 + i] = (struct pollfd){ .fd = s->pend[i].fd, .events = POLLIN };
			if (first < 0 || s->pend[i].deadline < first)
				first = s->pend[i].deadline;
		}
		if (first >= 0)
			timeout = first > now ? (int)(first - now) : 0;
		if (poll(pfd, (nfds_t)(2 + n), timeout) < 0 && errno != EINTR) {
			fprintf(stderr, AL_BPF_NAME ": --stats-socket %s: poll: %s\n",
				s->path, strerror(errno));
			break;
		}
		if (pfd[0].revents)
			break;
		now = now_ms();
		/* backwards: drop() moves the last connection into i */
		for (int i = n - 1; i >= 0; i--) {
			if (pfd[2 + i].revents) {
				take(s, i);
			} else if (s->pend[i].deadline <= now) {
				answer(s, &s->pend[i]);	/* no request: stats */
				drop(s, i);
			}
		}
		if (pfd[1].revents & POLLIN)
			accept_one(s);
	}
	while (s->npend)
		close(s->pend[--s->npend].fd);
	return NULL;
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
	if (pipe2(s->wake, O_CLOEXEC)) {
		snprintf(err, errlen, "--stats-socket: pipe: %s", strerror(errno));
		free(s->path);
		free(s);
		return NULL;
	}
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
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
	close(s->wake[0]);
	close(s->wake[1]);
	free(s->path);
	free(s);
	return NULL;
}

void al_bpf_sock_stop(struct al_bpf_sock *s)
{
	if (!s)
		return;
	/* Ends the poll() the thread waits in. */
	while (write(s->wake[1], "", 1) < 0 && errno == EINTR)
		;
	pthread_join(s->thread, NULL);
	close(s->wake[0]);
	close(s->wake[1]);
	close(s->fd);
	unlink(s->path);
	free(s->path);
	free(s);
}
