// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top: interactive keys, the terminal's mode, the wait. */
#define _GNU_SOURCE
#include "top_keys.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "anonlazy.h"
#include "top_opts.h"

const struct top_key top_keys[] = {
	{ 'q', 0, TOP_KEY_QUIT },
	{ 'p', 0, TOP_KEY_PAUSE },
	{ 'v', ANONLAZY_PROC_VMAS, TOP_KEY_SORT },
	{ 'a', ANONLAZY_PROC_ANON_VMAS, TOP_KEY_SORT },
	{ 'c', ANONLAZY_PROC_CHAINS, TOP_KEY_SORT },
	{ 'l', ANONLAZY_PROC_LAZY, TOP_KEY_SORT },
	{ 'r', ANONLAZY_PROC_REGULAR, TOP_KEY_SORT },
	{ 's', ANONLAZY_PROC_EST_SAVED_BYTES, TOP_KEY_SORT },
	{ 'i', ANONLAZY_PROC_PID, TOP_KEY_SORT },
	{ 'm', TOP_SORT_COMM, TOP_KEY_SORT },
	{ 0, 0, TOP_KEY_NONE },
};

const char top_keys_line[] =
	"keys: q quit, p pause, sort by v vmas, a anon_vmas, c chains, l lazy, r regular, s est_saved_bytes, i pid, m comm";

enum top_key_action top_key_action(int c, int *sort)
{
	for (const struct top_key *k = top_keys; k->c; k++)
		if (k->c == c) {
			if (k->action == TOP_KEY_SORT)
				*sort = k->sort;
			return k->action;
		}
	return TOP_KEY_NONE;
}

static struct termios saved, raw;
static volatile sig_atomic_t saved_fd = -1;

void top_keys_restore(void)
{
	int fd = saved_fd;

	if (fd >= 0) {
		saved_fd = -1;
		tcsetattr(fd, TCSAFLUSH, &saved);
	}
}

/*
 * Ctrl-Z: the terminal as it was while stopped, raw again on fg. Only
 * async-signal-safe calls; errno kept for the code it interrupted.
 */
static void on_tstp(int sig)
{
	int e = errno, fd = saved_fd;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, me = { .sa_handler = on_tstp };

	sigset_t set;

	if (fd >= 0)
		tcsetattr(fd, TCSAFLUSH, &saved);
	sigaction(sig, &dfl, NULL);
	/* blocked while its handler runs: the default must act now */
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);		/* stops here until SIGCONT */
	sigaction(sig, &me, NULL);
	if (fd >= 0)
		tcsetattr(fd, TCSAFLUSH, &raw);
	errno = e;
}

bool top_keys_start(int fd, int out_fd)
{
	struct sigaction tstp = { .sa_handler = on_tstp };
	static bool registered;

	if (saved_fd >= 0)
		return true;
	if (!isatty(fd) || !isatty(out_fd) || tcgetattr(fd, &saved))
		return false;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (!registered) {
		atexit(top_keys_restore);
		sigaction(SIGTSTP, &tstp, NULL);
		registered = true;
	}
	saved_fd = fd;
	if (tcsetattr(fd, TCSAFLUSH, &raw)) {
		saved_fd = -1;
		return false;
	}
	return true;
}

double top_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int top_keys_wait(int *fd, double deadline, const volatile sig_atomic_t *stop,
		  const volatile sig_atomic_t *wake, int *c)
{
	for (;;) {
		struct pollfd p = { .fd = *fd, .events = POLLIN };
		int ms = -1, r;

		if (*stop)
			return -1;
		if (wake && *wake)
			return 2;
		if (deadline >= 0) {
			double left = deadline - top_mono();

			if (left <= 0)
				return 0;
			/* round up: a wake-up before the deadline loops */
			ms = left > 86400.0 * 2 ? 86400 * 2000 : (int)(left * 1000.0) + 1;
		}
		r = poll(&p, *fd >= 0 ? 1 : 0, ms);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r <= 0)
			continue;	/* a signal, or the deadline: checked above */
		if (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
			unsigned char ch;
			ssize_t n = read(*fd, &ch, 1);

			if (n == 1) {
				*c = ch;
				return 1;
			}
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			*fd = -1;	/* end of file or an error: no more keys */
			if (deadline < 0)
				return -1;	/* nothing could wake us */
		}
	}
}
