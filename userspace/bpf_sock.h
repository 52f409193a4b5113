/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-bpf --stats-socket PATH: a unix stream socket that serves the
 * counters of the moment a reader asks, as the module's files do: a
 * workload that snapshots stats around its work (alwork, with
 * AL_STATS=PATH) measures the BPF counters the same way, and
 * anonlazy-top --source bpf reads every section from it.
 *
 * One connection, one answer, then end of file. The client may send one
 * request line first, naming the sections it wants as -s does
 * ("stats,latency,probes,processes\n", or "all\n"): it gets them in
 * anonlazy-bpf's own format (with more than one, each after a line
 * "== <section>"). No request - the client half-closes its side
 * (shutdown(SHUT_WR)) or sends nothing for AL_BPF_SOCK_WAIT_MS - or an
 * empty line gets the stats alone, the text of the module's stats file,
 * as it did before requests existed. The line ends at its newline, or
 * where the client stopped writing. A name it does not know gets one
 * line "error: unknown section '<name>'" and the end of file.
 *
 * One thread serves every connection: it waits for the requests of
 * several clients at once (at most AL_BPF_SOCK_PENDING; more wait in the
 * listen backlog), so a client that connects and neither writes nor
 * closes delays only itself, and a client that does not read its answer
 * holds the thread at most AL_BPF_SOCK_SEND_MS a write.
 *
 * (A FIFO served the stats first and could deadlock: a FIFO has no
 * per-reader channel, so the writer had to guess when a reader had
 * gone. A connection is one reader's, and its end is the text's end.)
 */
#ifndef AL_BPF_SOCK_H
#define AL_BPF_SOCK_H

#include <stddef.h>

#define AL_BPF_SOCK_WAIT_MS	1000	/* for a request line, then: stats */
#define AL_BPF_SOCK_SEND_MS	2000	/* a write to a client that does not read */
#define AL_BPF_SOCK_PENDING	32	/* connections waiting for their request */
#define AL_BPF_SOCK_REQ_MAX	256	/* a request line, with its newline */

struct al_bpf;
struct al_bpf_sock;

/* Bind the socket (mode 0600, not already there) and serve it; NULL with err. */
struct al_bpf_sock *al_bpf_sock_start(struct al_bpf *b, const char *path,
				      char *err, size_t errlen);

/* Stop serving (pending clients get nothing) and remove the socket. */
void al_bpf_sock_stop(struct al_bpf_sock *s);

/*
 * The request of a connection, the len bytes it sent before its newline,
 * its end or the wait's end (a trailing "\n" or "\r\n" allowed): the
 * sections into *show (bits of enum al_bpf_section); no byte or an empty
 * line: the stats. Returns 0, or -1 with the line to send back, without
 * its newline, in err ("error: unknown section 'x'").
 */
int al_bpf_sock_request(const char *req, size_t len, unsigned int *show,
			char *err, size_t errlen);

#endif /* AL_BPF_SOCK_H */
