/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-bpf: can a kprobe go on a function? The question bcc's
 * libbpf-tools ask with kprobe_exists() (libbpf-tools/trace_helpers.c),
 * asked here for every function in one pass over each file: not on the
 * kprobe blacklist, and in kallsyms.
 */
#ifndef AL_BPF_KSYMS_H
#define AL_BPF_KSYMS_H

#include <stdbool.h>

#define AL_KALLSYMS		"/proc/kallsyms"
#define AL_KPROBE_BLACKLIST	"/sys/kernel/debug/kprobes/blacklist"

/*
 * Set found[i] for each names[i] that a file in kallsyms' format
 * ("<addr> <type> <name>[ [module]]") lists as a function (type t, T, w
 * or W). Returns 0, or -errno if the file cannot be read (found[] then
 * untouched).
 */
int al_ksyms_find(const char *path, const char * const *names, int n,
		  bool *found);

/*
 * Set found[i] for each names[i] on the kprobe blacklist (lines
 * "<start>-<end> <name>"). Returns 0, or -errno if the file cannot be read
 * (debugfs not mounted, or not root).
 */
int al_kprobe_blacklist_find(const char *path, const char * const *names,
			     int n, bool *found);

#endif /* AL_BPF_KSYMS_H */
