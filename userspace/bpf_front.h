/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-bpf: what main() does before it touches BPF: the command line,
 * then the checks of bpf_env.h, each failure a one-line message.
 */
#ifndef AL_BPF_FRONT_H
#define AL_BPF_FRONT_H

#include <stdint.h>
#include <stdio.h>

#include "bpf_env.h"
#include "bpf_opts.h"

/*
 * Parse argv into o and check env with the capabilities cap_effective.
 * Returns -1 when the loader may go on, or the exit code: 0 after
 * --help (the usage on out), AL_BPF_EXIT_* after a one-line message
 * "anonlazy-bpf: ..." on errf.
 */
int al_bpf_front(int argc, char **argv, const struct al_bpf_env *env,
		 uint64_t cap_effective, struct al_bpf_opts *o,
		 FILE *out, FILE *errf);

#endif /* AL_BPF_FRONT_H */
