/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-top: interactive keys when stdin and stdout are a terminal.
 * The terminal goes to non-canonical, no-echo mode while the tool runs
 * and is restored on every way out (top_keys_restore(), also at exit);
 * the wait for the next interval wakes on a key (poll on stdin).
 */
#ifndef ANONLAZY_TOP_KEYS_H
#define ANONLAZY_TOP_KEYS_H

#include <signal.h>
#include <stdbool.h>

/* What a key does. */
enum top_key_action {
	TOP_KEY_NONE,		/* not a key of anonlazy-top: ignored */
	TOP_KEY_QUIT,		/* q */
	TOP_KEY_PAUSE,		/* p: stop redrawing, or resume */
	TOP_KEY_SORT,		/* a sort key: *sort is the new key */
};

struct top_key {
	char c;
	int sort;		/* a sort key (top_opts.h), for TOP_KEY_SORT */
	enum top_key_action action;
};

/* Every key, for the man page and --help test; ends with c == 0. */
extern const struct top_key top_keys[];

/* The key line an interactive screen shows under its header. */
extern const char top_keys_line[];

/* The action of key c; for a sort key, the sort key in *sort. */
enum top_key_action top_key_action(int c, int *sort);

/*
 * Put the terminal on fd into non-canonical, no-echo mode (signals
 * still work: Ctrl-C is SIGINT) when fd and out_fd are terminals.
 * Returns true when keys are on; false (nothing changed) otherwise.
 */
bool top_keys_start(int fd, int out_fd);

/*
 * The terminal's mode as it was before top_keys_start(). Idempotent and
 * async-signal-safe (tcsetattr only); registered with atexit().
 */
void top_keys_restore(void);

/*
 * Wait until the CLOCK_MONOTONIC time deadline (< 0: forever) for a key
 * on fd (fd < 0: no keys, just the wait). Returns 1 with the key in *c,
 * 0 at the deadline, -1 when a signal interrupted the wait and *stop is
 * set, or on an error, 2 when a signal interrupted it and *wake is set
 * (wake may be NULL; the caller clears it). A closed fd (end of file)
 * stops the keys: the wait goes on to the deadline.
 */
int top_keys_wait(int *fd, double deadline, const volatile sig_atomic_t *stop,
		  const volatile sig_atomic_t *wake, int *c);

/* CLOCK_MONOTONIC in seconds. */
double top_mono(void);

#endif /* ANONLAZY_TOP_KEYS_H */
