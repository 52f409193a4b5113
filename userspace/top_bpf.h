/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-top --source bpf: each frame's counters from a running
 * anonlazy-bpf --stats-socket PATH, one connection a frame: the request
 * line TOP_BPF_REQUEST, then its answer in anonlazy-bpf's multi-section
 * format (userspace/bpf_sock.h), read by top_snap_read_text().
 */
#ifndef ANONLAZY_TOP_BPF_H
#define ANONLAZY_TOP_BPF_H

#include <stddef.h>

#include "top_snap.h"

#define TOP_BPF_SOCKET_DEFAULT	"/run/anonlazy-bpf.sock"
#define TOP_BPF_REQUEST		"stats,latency,probes,processes,census\n"
#define TOP_BPF_TIMEOUT_MS	5000	/* for each read of the answer */

/*
 * Where the socket stands, without connecting: 0 when path is a socket;
 * else an errno value with one line in err naming the cause and the fix
 * (no such socket, not a socket, permission denied).
 */
int top_bpf_check(const char *path, char *err, size_t errlen);

/*
 * Ask anonlazy-bpf at path for its sections and read them into out,
 * then the slab caches of slabinfo (NULL: none). Returns 0, or -1 with
 * one line in err (the socket's errors as top_bpf_check()'s, nobody
 * serving it, no answer in time, a section that does not parse).
 */
int top_bpf_read(const char *path, const char *slabinfo, struct top_snap *out,
		 char *err, size_t errlen);

#endif /* ANONLAZY_TOP_BPF_H */
