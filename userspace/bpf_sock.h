/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-bpf --stats-socket PATH: a unix stream socket that serves the
 * stats, so that a reader gets the counters of the moment it connects,
 * as from the module's stats file: a workload that snapshots stats
 * around its work (alwork, with AL_STATS=PATH) measures the BPF counters
 * the same way. A thread accepts each connection, writes one stats text
 * and closes it; the reader reads to end of file.
 *
 * (A FIFO served the same purpose first and could deadlock: a FIFO has
 * no per-reader channel, so the writer had to guess when a reader had
 * gone. A connection is one reader's, and its end is the text's end.)
 */
#ifndef AL_BPF_SOCK_H
#define AL_BPF_SOCK_H

#include <stddef.h>

struct al_bpf;
struct al_bpf_sock;

/* Bind the socket (mode 0600, not already there) and serve it; NULL with err. */
struct al_bpf_sock *al_bpf_sock_start(struct al_bpf *b, const char *path,
				      char *err, size_t errlen);

/* Stop serving and remove the socket. */
void al_bpf_sock_stop(struct al_bpf_sock *s);

#endif /* AL_BPF_SOCK_H */
