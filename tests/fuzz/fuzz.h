/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every harness of tests/fuzz/ shares: the input as a C string or
 * as argv words, as a file, and the checks of an error message. A check
 * that fails calls abort(): libFuzzer reports it as a crash, with the
 * input that made it (make fuzz, tests/host/test_fuzz.sh).
 */
#ifndef AL_FUZZ_H
#define AL_FUZZ_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Stop the run: the harness found a broken promise. */
#define FZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		abort();						\
	}								\
} while (0)

/* data as a malloc'd NUL-terminated string (a NUL inside ends it early). */
static inline char *fz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FZ_ASSERT(s);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * data split at its NUL bytes into argv[1..] (argv[0] is prog), at most
 * max - 1 words, NULL-terminated; the words point into *copy (free it).
 */
static inline int fz_argv(const uint8_t *data, size_t size, const char *prog,
			  char **argv, int max, char **copy)
{
	char *s = fz_str(data, size);
	int argc = 1;
	size_t i = 0;

	*copy = s;
	argv[0] = (char *)prog;
	while (size && argc < max - 1) {
		argv[argc++] = s + i;
		i += strlen(s + i) + 1;
		if (i > size)
			break;
	}
	argv[argc] = NULL;
	return argc;
}

/*
 * An error message: not empty, one line of printable ASCII (what the
 * tools print on stderr, esc.h), at most size - 1 bytes.
 */
static inline void fz_check_msg(const char *err, size_t size)
{
	size_t n = strnlen(err, size);

	FZ_ASSERT(n > 0 && n < size);
	for (size_t i = 0; i < n; i++)
		FZ_ASSERT((unsigned char)err[i] >= 0x20 && (unsigned char)err[i] <= 0x7e);
}

/* The bytes in an anonymous file; its path, /proc/self/fd/N, in path. */
static inline int fz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	FZ_ASSERT(fd >= 0);
	FZ_ASSERT(write(fd, data, size) == (ssize_t)size);
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

/* Where renderers write: nowhere, but through stdio all the same. */
static inline FILE *fz_null(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	FZ_ASSERT(f);
	return f;
}

#endif /* AL_FUZZ_H */
