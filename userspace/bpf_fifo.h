/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-bpf --stats-fifo PATH: a FIFO that serves the stats, so that a
 * reader gets the counters of the moment it opens it, as from the
 * module's stats file: a workload that snapshots stats around its work
 * (alwork, with AL_STATS=PATH) measures the BPF counters the same way.
 * A thread waits for each reader, writes one stats text and closes.
 */
#ifndef AL_BPF_FIFO_H
#define AL_BPF_FIFO_H

#include <stddef.h>

struct al_bpf;
struct al_bpf_fifo;

/* Make the FIFO (mode 0600, not already there) and serve it; NULL with err. */
struct al_bpf_fifo *al_bpf_fifo_start(struct al_bpf *b, const char *path,
				      char *err, size_t errlen);

/* Stop serving and remove the FIFO. */
void al_bpf_fifo_stop(struct al_bpf_fifo *s);

#endif /* AL_BPF_FIFO_H */
