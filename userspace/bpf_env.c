// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: the checks before any bpf() call. */
#define _GNU_SOURCE
#include "bpf_env.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "esc.h"

const struct al_bpf_env al_bpf_env_default = {
	.kernel_btf = AL_BPF_KERNEL_BTF,
	.lockdown = AL_BPF_LOCKDOWN,
};

int al_bpf_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

uint64_t al_bpf_cap_effective(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return 0;
	return data[0].effective | (uint64_t)data[1].effective << 32;
}

bool al_bpf_caps_ok(uint64_t effective)
{
	uint64_t both = 1ULL << AL_CAP_BPF | 1ULL << AL_CAP_PERFMON;

	return (effective & both) == both ||
	       (effective & 1ULL << AL_CAP_SYS_ADMIN);
}

int al_bpf_lockdown_mode(const char *text, char *mode, size_t len)
{
	const char *open = strchr(text, '[');
	const char *close = open ? strchr(open, ']') : NULL;

	if (!close || close == open + 1)
		return -1;
	snprintf(mode, len, "%.*s", (int)(close - open - 1), open + 1);
	return 0;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

int al_bpf_btf_check(const char *path, char *err, size_t errlen)
{
	char q[AL_QUOTE_MAX];
	libbpf_print_fn_t old;
	struct stat st;
	struct btf *btf;
	int fd, e;

	al_escs(path, q, sizeof(q));
	/* O_NONBLOCK: a FIFO's open returns at once, to be refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return al_bpf_fail(err, errlen, -1, "%s: cannot read it: %s", q,
			    strerror(errno));
	e = fstat(fd, &st) ? errno : 0;
	close(fd);
	if (e)
		return al_bpf_fail(err, errlen, -1, "%s: cannot read it: %s", q,
			    strerror(e));
	/* libbpf would read a FIFO or a device forever, or a directory */
	if (!S_ISREG(st.st_mode))
		return al_bpf_fail(err, errlen, -1,
			    "%s: %s (want raw BTF, or an ELF file with a .BTF section such as the kernel's vmlinux)",
			    q, S_ISDIR(st.st_mode) ? "a directory, not a file" :
			    "not a regular file");
	old = libbpf_set_print(silent);
	btf = btf__parse(path, NULL);
	libbpf_set_print(old);
	if (!btf)
		return al_bpf_fail(err, errlen, -1,
			    "%s: no BTF in it (want raw BTF, or an ELF file with a .BTF section such as the kernel's vmlinux)",
			    q);
	btf__free(btf);
	return 0;
}

/* The lockdown mode, or "" when the file is missing or says nothing. */
static void lockdown_read(const char *path, char *mode, size_t len)
{
	char text[256];
	ssize_t n;
	int fd;

	mode[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	if (al_bpf_lockdown_mode(text, mode, len))
		mode[0] = '\0';
}

int al_bpf_preflight(const struct al_bpf_opts *o, const struct al_bpf_env *env,
		     uint64_t cap_effective, char *err, size_t errlen)
{
	char why[512], mode[32], q[AL_QUOTE_MAX];
	struct stat st;

	if (o->btf && al_bpf_btf_check(o->btf, why, sizeof(why)))
		return al_bpf_fail(err, errlen, AL_BPF_EXIT_BTF, "--btf %s", why);
	/* bind() would refuse it, but only after the programs are loaded */
	if (o->stats_socket && !lstat(o->stats_socket, &st))
		return al_bpf_fail(err, errlen, AL_BPF_EXIT_ERROR,
			    "--stats-socket %s: already exists (remove it, or pick another path)",
			    al_escs(o->stats_socket, q, sizeof(q)));
	if (!al_bpf_caps_ok(cap_effective))
		return al_bpf_fail(err, errlen, AL_BPF_EXIT_PERM,
			    "needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN: run it as root");
	lockdown_read(env->lockdown, mode, sizeof(mode));
	if (!strcmp(mode, "confidentiality"))
		return al_bpf_fail(err, errlen, AL_BPF_EXIT_LOCKDOWN,
			    "kernel lockdown is 'confidentiality' (%s): it forbids kprobes and BPF reads of kernel memory; boot with lockdown=integrity or none",
			    env->lockdown);
	if (access(env->kernel_btf, R_OK)) {
		if (o->mode == AL_BPF_MODE_FENTRY)
			return al_bpf_fail(err, errlen, AL_BPF_EXIT_BTF,
				    "--mode fentry needs the kernel's BTF, and %s is missing (a kernel built without CONFIG_DEBUG_INFO_BTF)",
				    env->kernel_btf);
		if (!o->btf)
			return al_bpf_fail(err, errlen, AL_BPF_EXIT_BTF,
				    "no kernel BTF: %s is missing (a kernel built without CONFIG_DEBUG_INFO_BTF); give its BTF with --btf FILE (the kernel's vmlinux)",
				    env->kernel_btf);
	}
	return 0;
}
