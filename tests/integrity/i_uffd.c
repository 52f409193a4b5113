// SPDX-License-Identifier: GPL-2.0
/*
 * userfaultfd: UFFDIO_COPY and UFFDIO_ZEROPAGE into a registered anonymous
 * range, and UFFDIO_MOVE (Linux 6.8+) of faulted anonymous pages from one
 * VMA into another.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "integ.h"
#include "uffd_move.h"

#define N 8

static size_t zero_pages(const char *p, size_t npages)
{
	size_t n = 0;

	for (size_t i = 0; i < npages; i++) {
		const char *pg = p + i * al_page;

		n += pg[0] == 0 && !memcmp(pg, pg + 1, al_page - 1);
	}
	return n;
}

int t_uffd(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_copy copy = { 0 };
	struct uffdio_zeropage zero = { 0 };
	struct uffdio_move mv = { 0 };
	char *dst, *src, *buf;
	int fd;

	fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		skip("uffd: no userfaultfd");
		return 0;
	}
	if (ioctl(fd, UFFDIO_API, &api))
		al_die("UFFDIO_API");

	dst = al_map_isolated(N);
	reg.range.start = (uintptr_t)dst;
	reg.range.len = N * al_page;
	if (ioctl(fd, UFFDIO_REGISTER, &reg))
		al_die("UFFDIO_REGISTER");

	buf = al_map_isolated(2);
	fill(buf, 2, 17);
	copy.dst = (uintptr_t)dst;
	copy.src = (uintptr_t)buf;
	copy.len = 2 * al_page;
	ok(ioctl(fd, UFFDIO_COPY, &copy) == 0 && copy.copy == (__s64)(2 * al_page) &&
	   bad_pages(dst, 2, 17) == 0, "uffd: UFFDIO_COPY installs the data");
	expect_state(0, dst, "lazy", "uffd: the VMA UFFDIO_COPY filled");
	zero.range.start = (uintptr_t)dst + 2 * al_page;
	zero.range.len = al_page;
	ok(ioctl(fd, UFFDIO_ZEROPAGE, &zero) == 0 && zero_pages(dst + 2 * al_page, 1) == 1,
	   "uffd: UFFDIO_ZEROPAGE installs a zero page");

	if (!(api.features & UFFD_FEATURE_MOVE)) {
		skip("uffd: UFFDIO_MOVE: not in this kernel (Linux 6.8+)");
	} else {
		src = al_map_isolated(4);
		fill(src, 4, 18);
		mv.dst = (uintptr_t)dst + 4 * al_page;
		mv.src = (uintptr_t)src;
		mv.len = 4 * al_page;
		ok(ioctl(fd, UFFDIO_MOVE, &mv) == 0 && mv.move == (__s64)(4 * al_page),
		   "uffd: UFFDIO_MOVE moves 4 faulted pages");
		ok(bad_pages(dst + 4 * al_page, 4, 18) == 0,
		   "uffd: moved pages hold their data at the destination");
		ok(zero_pages(src, 4) == 4, "uffd: the source is empty after the move");
		/* The folios take the destination's state; neither VMA upgrades. */
		expect_state(0, dst, "lazy", "uffd: the destination after UFFDIO_MOVE");
		expect_state(0, src, "lazy", "uffd: the source after UFFDIO_MOVE");
		fill(dst + 4 * al_page, 4, 19);
		ok(bad_pages(dst + 4 * al_page, 4, 19) == 0, "uffd: moved pages are writable");
	}
	ok(bad_pages(dst, 2, 17) == 0, "uffd: copied pages still intact");
	close(fd);
	return 0;
}
