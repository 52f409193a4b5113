/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-bpf: the BPF object (bpf/anonlazy.bpf.c, from its bpftool
 * skeleton): the mechanism of each function, loading, attaching, reading
 * the maps. The only part that makes bpf() calls.
 */
#ifndef AL_BPF_LOAD_H
#define AL_BPF_LOAD_H

#include <stddef.h>
#include <stdio.h>

#include "bpf_env.h"
#include "bpf_opts.h"

struct al_bpf;

/*
 * Pick each wanted function's mechanism (--mode; the way bcc's
 * libbpf-tools do: a trial fentry program, else kallsyms and the kprobe
 * blacklist), load the object, attach. A function that cannot be attached
 * gets a line on report, and one more line sums up what is attached and
 * which counters are not counted. Returns 0 with *out, or an AL_BPF_EXIT_*
 * code with a one-line message in err.
 */
int al_bpf_start(const struct al_bpf_opts *o, const struct al_bpf_env *env,
		 struct al_bpf **out, FILE *report, char *err, size_t errlen);

/*
 * One block: the sections in show (bits of enum al_bpf_section), each
 * after a line "== <section>" when there are several. Returns 0, or -1
 * with a message in err.
 */
int al_bpf_print(struct al_bpf *b, FILE *f, unsigned int show,
		 char *err, size_t errlen);

/* Detach and free everything. */
void al_bpf_stop(struct al_bpf *b);

#endif /* AL_BPF_LOAD_H */
