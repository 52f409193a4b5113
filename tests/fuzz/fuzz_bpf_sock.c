// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-bpf --stats-socket: a client's request line
 * (al_bpf_sock_request()), whatever bytes it sends: sections, or the one
 * error line it sends back, printable (esc.h) and starting with
 * "error: " (anonlazy-top shows it as the error).
 */
#include "fuzz.h"

#include "bpf_opts.h"
#include "bpf_sock.h"

/* The answer itself is not this harness' part: bpf_sock.c links it. */
struct al_bpf;
int al_bpf_print(struct al_bpf *b, FILE *f, unsigned int show, char *err, size_t errlen);
int al_bpf_print(struct al_bpf *b, FILE *f, unsigned int show, char *err, size_t errlen)
{
	(void)b;
	(void)f;
	(void)show;
	(void)err;
	(void)errlen;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	unsigned int show = 0;

	if (al_bpf_sock_request((const char *)data, size, &show, err, sizeof(err))) {
		fz_check_msg(err, sizeof(err));
		FZ_ASSERT(!strncmp(err, "error: ", 7));
	} else {
		FZ_ASSERT(show && show < 1U << AL_BPF_NR_SECTIONS);
	}
	return 0;
}
