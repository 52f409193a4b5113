/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-bpf: what it checks before it makes any bpf() call, so that
 * each cause of failure gets its own one-line message and exit code.
 */
#ifndef AL_BPF_ENV_H
#define AL_BPF_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf_opts.h"

/* The files it looks at; tests point them elsewhere. */
struct al_bpf_env {
	const char *kernel_btf;	/* the running kernel's BTF */
	const char *lockdown;	/* securityfs' lockdown file */
};

#define AL_BPF_KERNEL_BTF	"/sys/kernel/btf/vmlinux"
#define AL_BPF_LOCKDOWN		"/sys/kernel/security/lockdown"

extern const struct al_bpf_env al_bpf_env_default;

/* The capabilities to bit numbers of a capget() mask. */
#define AL_CAP_SYS_ADMIN	21
#define AL_CAP_PERFMON		38
#define AL_CAP_BPF		39

/* Format an error into err, return code: the loader's one-line errors. */
int al_bpf_fail(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* This process's effective capabilities (capget), 0 if it fails. */
uint64_t al_bpf_cap_effective(void);

/* Enough to load tracing programs: CAP_BPF and CAP_PERFMON, or SYS_ADMIN. */
bool al_bpf_caps_ok(uint64_t effective);

/*
 * The lockdown mode in the text of the lockdown file ("none [integrity]
 * confidentiality": the bracketed word) into mode; -1 if there is none.
 */
int al_bpf_lockdown_mode(const char *text, char *mode, size_t len);

/*
 * Whether path holds BTF, raw or in an ELF file's .BTF section: 0, or -1
 * with a message in err (a directory, FIFO, socket or device is refused
 * before libbpf reads it).
 */
int al_bpf_btf_check(const char *path, char *err, size_t errlen);

/*
 * In order: --btf FILE is BTF, --stats-socket PATH is not there yet, the
 * capabilities, the lockdown mode, the kernel's BTF (needed unless --btf,
 * and for --mode fentry). Returns 0, or an AL_BPF_EXIT_* code with a
 * one-line message in err.
 */
int al_bpf_preflight(const struct al_bpf_opts *o, const struct al_bpf_env *env,
		     uint64_t cap_effective, char *err, size_t errlen);

#endif /* AL_BPF_ENV_H */
