/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UFFDIO_MOVE (Linux 6.8+) for uapi headers older than it: alinteg's uffd
 * test and alwork idlemove. Include after <linux/userfaultfd.h>.
 */
#ifndef ALWORK_UFFD_MOVE_H
#define ALWORK_UFFD_MOVE_H

#include <linux/types.h>
#include <sys/ioctl.h>

#ifndef UFFDIO_MOVE
struct uffdio_move {
	__u64 dst;
	__u64 src;
	__u64 len;
	__u64 mode;
	__s64 move;
};
#define _UFFDIO_MOVE (0x05)
#define UFFDIO_MOVE _IOWR(UFFDIO, _UFFDIO_MOVE, struct uffdio_move)
#define UFFD_FEATURE_MOVE (1 << 16)
#endif

#endif /* ALWORK_UFFD_MOVE_H */
