// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-bpf's kprobe check (userspace/bpf_ksyms.c) on
 * files in the formats of /proc/kallsyms and the kprobe blacklist.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "bpf_ksyms.h"

static char tmp[] = "/tmp/anonlazy-ksyms-test-XXXXXX";

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		printf("FAIL: host: ksyms: cannot write %s\n", path);
		exit(1);
	}
}

static const char * const names[] = {
	"__anon_vma_prepare",	/* T */
	"rmap_walk_anon",	/* t */
	"rmap_walk_file",	/* only as data: d */
	"anon_vma_fork",	/* in a module's list, after a tab */
	"anon_vma_clone",	/* only a longer name starts with it */
	"anon_vma_lazy_upgrade",	/* absent */
	"unlink_anon_vmas",	/* W, last line without a newline */
};

#define N ((int)(sizeof(names) / sizeof(names[0])))

int main(void)
{
	char ksyms[256], black[256];
	bool found[N], untouched = true;
	int ok = 1;

	test_init();
	if (!mkdtemp(tmp)) {
		printf("FAIL: host: ksyms: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(ksyms, sizeof(ksyms), "%s/kallsyms", tmp);
	snprintf(black, sizeof(black), "%s/blacklist", tmp);
	put(ksyms,
	    "ffffffff81000000 T _stext\n"
	    "ffffffff8131bbe0 T __anon_vma_prepare\n"
	    "ffffffff81316e40 t rmap_walk_anon\n"
	    "ffffffff82000000 d rmap_walk_file\n"
	    "ffffffff8131b830 T anon_vma_clone_more\n"
	    "ffffffffc0001000 t anon_vma_fork\t[somemod]\n"
	    "0000000000000000 W unlink_anon_vmas");
	put(black,
	    "0xffffffff81316e40-0xffffffff81316f00\trmap_walk_anon\n"
	    "0xffffffff81000000-0xffffffff81000010\t_stext\n");

	memset(found, 0, sizeof(found));
	CHECK(al_ksyms_find(ksyms, names, N, found) == 0, "ksyms: kallsyms read");
	CHECK(found[0] && found[1] && !found[2] && found[3] && !found[4] &&
	      !found[5] && found[6],
	      "ksyms: functions (t, T, w, W) by exact name; data, prefixes and absent ones not");

	memset(found, 0, sizeof(found));
	CHECK(al_kprobe_blacklist_find(black, names, N, found) == 0,
	      "ksyms: blacklist read");
	for (int i = 0; i < N; i++)
		ok &= found[i] == (i == 1);
	CHECK(ok, "ksyms: only the blacklisted function is found on the blacklist");

	memset(found, 0, sizeof(found));
	snprintf(black, sizeof(black), "%s/nope", tmp);
	CHECK(al_kprobe_blacklist_find(black, names, N, found) == -ENOENT,
	      "ksyms: a missing file is -ENOENT");
	for (int i = 0; i < N; i++)
		untouched &= !found[i];
	CHECK(untouched, "ksyms: and marks nothing");

	unlink(ksyms);
	snprintf(black, sizeof(black), "%s/blacklist", tmp);
	unlink(black);
	rmdir(tmp);
	return test_exit();
}
