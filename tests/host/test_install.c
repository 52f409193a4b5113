// SPDX-License-Identifier: GPL-2.0
/*
 * make install and make uninstall into a temporary DESTDIR, and the man
 * page and bash completions against --help: tests/host/test_install.sh,
 * whose PASS/FAIL lines pass through. The --help texts come from the
 * sources (top_opts.c, bpf_opts.c), so anonlazy-bpf need not be built.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "top_opts.h"
#include "bpf_opts.h"

int main(void)
{
	char dir[] = "/tmp/al-install-help.XXXXXX", top[64], bpf[64], cmd[256];
	FILE *f;
	int st;

	test_init();
	if (!mkdtemp(dir)) {
		CHECK(0, "install: a temporary directory");
		return test_exit();
	}
	snprintf(top, sizeof(top), "%s/top", dir);
	snprintf(bpf, sizeof(bpf), "%s/bpf", dir);
	f = fopen(top, "w");
	if (f) {
		fputs(top_usage, f);
		fclose(f);
	}
	f = fopen(bpf, "w");
	if (f) {
		al_bpf_usage(f);
		fclose(f);
	}
	fflush(stdout);
	snprintf(cmd, sizeof(cmd), "bash tests/host/test_install.sh %s %s", top, bpf);
	st = system(cmd);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "install: test_install.sh passed");
	unlink(top);
	unlink(bpf);
	rmdir(dir);
	return test_exit();
}
