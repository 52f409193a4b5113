// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of what anonlazy-bpf does before it touches BPF
 * (userspace/bpf_front.c, bpf_env.c): the exit code and the exact
 * one-line message of each failure, in their order, with the files it
 * looks at pointed into a temporary directory. This binary has no BPF
 * object in it: nothing here can load a program.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/types.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "check.h"
#include "bpf_front.h"

#define CAP(c) (1ULL << AL_CAP_##c)
#define FULL (CAP(BPF) | CAP(PERFMON))

static char tmp[] = "/tmp/anonlazy-bpf-test-XXXXXX";
static char p_raw[256], p_text[256], p_nope[256], p_conf[256], p_integ[256],
	    p_none[256];
static char out[8192], err[2048];

static void put(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		printf("FAIL: host: front: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

static void setup(void)
{
	struct btf *btf = btf__new_empty();
	const void *raw;
	__u32 size;

	if (!mkdtemp(tmp) || !btf || btf__add_int(btf, "int", 4, BTF_INT_SIGNED) <= 0 ||
	    !(raw = btf__raw_data(btf, &size))) {
		printf("FAIL: host: front: set-up: %s\n", strerror(errno));
		exit(1);
	}
	snprintf(p_raw, sizeof(p_raw), "%s/raw.btf", tmp);
	snprintf(p_text, sizeof(p_text), "%s/text", tmp);
	snprintf(p_nope, sizeof(p_nope), "%s/nope", tmp);
	snprintf(p_conf, sizeof(p_conf), "%s/lockdown-conf", tmp);
	snprintf(p_integ, sizeof(p_integ), "%s/lockdown-integ", tmp);
	snprintf(p_none, sizeof(p_none), "%s/lockdown-none", tmp);
	put(p_raw, raw, size);
	btf__free(btf);
	put(p_text, "not BTF\n", 8);
	put(p_conf, "none integrity [confidentiality]\n", 33);
	put(p_integ, "none [integrity] confidentiality\n", 33);
	put(p_none, "[none] integrity confidentiality\n", 33);
}

static void cleanup(void)
{
	const char *files[] = { p_raw, p_text, p_conf, p_integ, p_none };

	for (unsigned int i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	rmdir(tmp);
}

/* al_bpf_front() on the NULL-terminated words, its out and errf kept. */
static int front(const struct al_bpf_env *env, uint64_t caps, ...)
{
	char *argv[16] = { "anonlazy-bpf" };
	struct al_bpf_opts o;
	FILE *fo, *fe;
	va_list ap;
	int argc = 1, rc;

	va_start(ap, caps);
	for (char *w = va_arg(ap, char *); w && argc < 15; w = va_arg(ap, char *))
		argv[argc++] = w;
	va_end(ap);
	memset(out, 0, sizeof(out));
	memset(err, 0, sizeof(err));
	fo = fmemopen(out, sizeof(out) - 1, "w");
	fe = fmemopen(err, sizeof(err) - 1, "w");
	rc = al_bpf_front(argc, argv, env, caps, &o, fo, fe);
	fclose(fo);
	fclose(fe);
	return rc;
}

/* The expected message line, "anonlazy-bpf: " + text + "\n". */
static char want[2048];

static const char *msg(const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(want, sizeof(want), "anonlazy-bpf: ");

	va_start(ap, fmt);
	n += vsnprintf(want + n, sizeof(want) - (size_t)n, fmt, ap);
	va_end(ap);
	snprintf(want + n, sizeof(want) - (size_t)n, "\n");
	return want;
}

static void test_usage(void)
{
	struct al_bpf_env env = { p_raw, p_none };
	char usage[8192] = "";
	FILE *f = fmemopen(usage, sizeof(usage) - 1, "w");

	al_bpf_usage(f);
	fclose(f);
	CHECK(front(&env, 0, "--help", NULL) == 0 && !strcmp(out, usage) && !err[0],
	      "front: --help prints the usage on stdout and exits 0, even unprivileged");
	CHECK(front(&env, FULL, "--bogus", NULL) == AL_BPF_EXIT_USAGE && !out[0] &&
	      !strcmp(err, msg("unknown option '--bogus'; see anonlazy-bpf --help")),
	      "front: a bad argument: exit 2, one line naming it");
	CHECK(front(&env, 0, "--btf", p_nope, "--mode", "nope", NULL) == AL_BPF_EXIT_USAGE &&
	      !strcmp(err, msg("--mode: no mode 'nope' (auto, fentry, kprobe); see anonlazy-bpf --help")),
	      "front: arguments are checked before any file");
	CHECK(front(&env, FULL, "-s", "stats,processes", "--", "true", NULL) ==
	      AL_BPF_EXIT_USAGE && !out[0] &&
	      !strcmp(err, msg("--show processes: the per-process rows are off: add --processes; see anonlazy-bpf --help")),
	      "front: -s processes without --processes: exit 2 before anything is loaded");
	CHECK(front(&env, FULL, "--processes", "-s", "processes", NULL) == -1 && !err[0],
	      "front: -s processes with --processes goes on");
}

static void test_btf_option(void)
{
	struct al_bpf_env env = { p_raw, p_none };

	CHECK(front(&env, 0, "--btf", p_nope, NULL) == AL_BPF_EXIT_BTF && !out[0] &&
	      !strcmp(err, msg("--btf %s: cannot read it: No such file or directory", p_nope)),
	      "front: --btf on a missing file: exit 4, before the privilege check");
	CHECK(front(&env, 0, "--btf", "/nonexistent-al-\x1b[2J\n", NULL) == AL_BPF_EXIT_BTF &&
	      !strcmp(err, msg("--btf /nonexistent-al-\\x1b[2J\\x0a: cannot read it: No such file or directory")),
	      "front: --btf: the control bytes of its name escaped, one line");
	CHECK(front(&env, 0, "--btf", p_text, NULL) == AL_BPF_EXIT_BTF &&
	      !strcmp(err, msg("--btf %s: no BTF in it (want raw BTF, or an ELF file with a .BTF section such as the kernel's vmlinux)",
			       p_text)),
	      "front: --btf on a file without BTF: exit 4, libbpf silent");
	CHECK(front(&env, 0, "--btf", tmp, NULL) == AL_BPF_EXIT_BTF &&
	      !strcmp(err, msg("--btf %s: a directory, not a file (want raw BTF, or an ELF file with a .BTF section such as the kernel's vmlinux)",
			       tmp)),
	      "front: --btf on a directory: exit 4");
	CHECK(front(&env, 0, "--btf", "/dev/null", NULL) == AL_BPF_EXIT_BTF &&
	      !strcmp(err, msg("--btf /dev/null: not a regular file (want raw BTF, or an ELF file with a .BTF section such as the kernel's vmlinux)")),
	      "front: --btf on a device: not a regular file, exit 4");
	{
		char fifo[300];
		pid_t pid;
		int st = -1;

		snprintf(fifo, sizeof(fifo), "%s/fifo", tmp);
		if (mkfifo(fifo, 0644))
			abort();
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			alarm(5);	/* it used to wait forever for a writer */
			_exit(front(&env, 0, "--btf", fifo, NULL) == AL_BPF_EXIT_BTF &&
			      !strcmp(err, msg("--btf %s: not a regular file (want raw BTF, or an ELF file with a .BTF section such as the kernel's vmlinux)",
					       fifo)) ? 0 : 1);
		}
		CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "front: --btf on a FIFO: refused at once, not a regular file, exit 4");
		unlink(fifo);
	}
	CHECK(front(&env, 0, "--stats-socket", p_text, NULL) == AL_BPF_EXIT_ERROR &&
	      !strcmp(err, msg("--stats-socket %s: already exists (remove it, or pick another path)",
			       p_text)),
	      "front: --stats-socket on a path that exists: exit 1, before loading anything");
	CHECK(front(&env, 0, "--btf", p_raw, NULL) == AL_BPF_EXIT_PERM,
	      "front: --btf on raw BTF is accepted (the privilege check comes next)");
}

static void test_privilege(void)
{
	struct al_bpf_env env = { p_raw, p_none };
	const char *perm = msg("needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN: run it as root");
	char perm_line[256];

	snprintf(perm_line, sizeof(perm_line), "%s", perm);
	CHECK(!al_bpf_caps_ok(0) && !al_bpf_caps_ok(CAP(BPF)) &&
	      !al_bpf_caps_ok(CAP(PERFMON)) && al_bpf_caps_ok(FULL) &&
	      al_bpf_caps_ok(CAP(SYS_ADMIN)) && !al_bpf_caps_ok(~(FULL | CAP(SYS_ADMIN))),
	      "front: CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN, and nothing else, suffice");
	CHECK(front(&env, 0, NULL) == AL_BPF_EXIT_PERM && !out[0] && !strcmp(err, perm_line),
	      "front: no capability: exit 3, one line");
	CHECK(front(&env, CAP(BPF), "-s", "all", NULL) == AL_BPF_EXIT_PERM &&
	      !strcmp(err, perm_line), "front: CAP_BPF alone: exit 3");
	CHECK(front(&env, CAP(PERFMON), NULL) == AL_BPF_EXIT_PERM &&
	      !strcmp(err, perm_line), "front: CAP_PERFMON alone: exit 3");
	CHECK(front(&env, FULL, NULL) == -1 && !out[0] && !err[0],
	      "front: CAP_BPF and CAP_PERFMON: go on, nothing printed");
	CHECK(front(&env, CAP(SYS_ADMIN), NULL) == -1 && !err[0],
	      "front: CAP_SYS_ADMIN: go on");
}

/* CapEff of /proc/self/status. */
static uint64_t status_capeff(void)
{
	char line[256];
	uint64_t v = ~0ULL;
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			v = strtoull(line + 7, NULL, 16);
	if (f)
		fclose(f);
	return v;
}

/*
 * The real capability check: capget() reads what /proc says, and a
 * process that dropped its effective set is refused with exit 3.
 */
static void test_real_caps(void)
{
	struct al_bpf_env env = { p_raw, p_none };
	int status = -1;
	pid_t pid;

	CHECK(al_bpf_cap_effective() == status_capeff(),
	      "front: capget's effective set is /proc/self/status's CapEff");
	pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];

		if (syscall(SYS_capget, &h, d))
			_exit(10);
		d[0].effective = d[1].effective = 0;
		if (syscall(SYS_capset, &h, d))
			_exit(11);
		if (al_bpf_cap_effective() != 0 || status_capeff() != 0)
			_exit(12);
		_exit(front(&env, al_bpf_cap_effective(), NULL) == AL_BPF_EXIT_PERM &&
		      !strcmp(err, msg("needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN: run it as root"))
		      ? 0 : 13);
	}
	waitpid(pid, &status, 0);
	CHECK(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "front: with its effective capabilities dropped, it is refused (exit 3)");
}

static void test_lockdown(void)
{
	struct al_bpf_env conf = { p_raw, p_conf }, integ = { p_raw, p_integ },
			  none = { p_raw, p_none }, gone = { p_raw, p_nope };
	char mode[32];

	CHECK(!al_bpf_lockdown_mode("none integrity [confidentiality]\n", mode, sizeof(mode)) &&
	      !strcmp(mode, "confidentiality") &&
	      !al_bpf_lockdown_mode("[none] integrity confidentiality", mode, sizeof(mode)) &&
	      !strcmp(mode, "none"),
	      "front: the lockdown mode is the bracketed word");
	CHECK(al_bpf_lockdown_mode("none integrity confidentiality\n", mode, sizeof(mode)) == -1 &&
	      al_bpf_lockdown_mode("[]", mode, sizeof(mode)) == -1 &&
	      al_bpf_lockdown_mode("", mode, sizeof(mode)) == -1 &&
	      al_bpf_lockdown_mode("[none", mode, sizeof(mode)) == -1,
	      "front: no bracketed word, no mode");
	CHECK(front(&conf, FULL, NULL) == AL_BPF_EXIT_LOCKDOWN && !out[0] &&
	      !strcmp(err, msg("kernel lockdown is 'confidentiality' (%s): it forbids kprobes and BPF reads of kernel memory; boot with lockdown=integrity or none",
			       p_conf)),
	      "front: lockdown=confidentiality: exit 5, one line");
	CHECK(front(&conf, 0, NULL) == AL_BPF_EXIT_PERM,
	      "front: the privilege check comes before lockdown");
	CHECK(front(&integ, FULL, NULL) == -1 && !err[0],
	      "front: lockdown=integrity: go on (it forbids neither)");
	CHECK(front(&none, FULL, NULL) == -1 && front(&gone, FULL, NULL) == -1 && !err[0],
	      "front: lockdown none, or no lockdown file: go on");
}

static void test_kernel_btf(void)
{
	struct al_bpf_env nobtf = { p_nope, p_none }, conf = { p_nope, p_conf };

	CHECK(front(&nobtf, FULL, NULL) == AL_BPF_EXIT_BTF && !out[0] &&
	      !strcmp(err, msg("no kernel BTF: %s is missing (a kernel built without CONFIG_DEBUG_INFO_BTF); give its BTF with --btf FILE (the kernel's vmlinux)",
			       p_nope)),
	      "front: no kernel BTF: exit 4, one line naming --btf");
	CHECK(front(&conf, FULL, NULL) == AL_BPF_EXIT_LOCKDOWN,
	      "front: lockdown is checked before the kernel's BTF");
	CHECK(front(&nobtf, FULL, "--btf", p_raw, NULL) == -1 && !err[0],
	      "front: no kernel BTF but --btf FILE: go on (kprobes)");
	CHECK(front(&nobtf, FULL, "--btf", p_raw, "-m", "fentry", NULL) == AL_BPF_EXIT_BTF &&
	      !strcmp(err, msg("--mode fentry needs the kernel's BTF, and %s is missing (a kernel built without CONFIG_DEBUG_INFO_BTF)",
			       p_nope)),
	      "front: --mode fentry without kernel BTF: exit 4, even with --btf");
	CHECK(!strcmp(al_bpf_env_default.kernel_btf, "/sys/kernel/btf/vmlinux") &&
	      !strcmp(al_bpf_env_default.lockdown, "/sys/kernel/security/lockdown"),
	      "front: the real files are sysfs' BTF and securityfs' lockdown");
}

int main(void)
{
	test_init();
	setup();
	test_usage();
	test_btf_option();
	test_privilege();
	test_real_caps();
	test_lockdown();
	test_kernel_btf();
	cleanup();
	return test_exit();
}
