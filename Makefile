# anonlazy: observability for ANON_VMA_LAZY.
#
#   make setup     install the Debian packages the project needs
#   make demo      build, boot our kernel, load the module, run a workload,
#                  show stats and probes
#   make check     every test: host tests, then guest tests on both kernels
#
# Longer ones: mm-selftests (the kernel's mm selftests, vm.anon_vma_lazy 0
# and 1), check-debug (guest suites and mm selftests on the KASAN + lockdep
# kernel), bench (slab and time cost with and without ANON_VMA_LAZY, probe
# overhead, census at scale, upgrade lock holds, to docs/).
# Other targets: kernel, kernel-debug, modules, userspace, host-tests,
# checkpatch, clean.

OUT := out
CC := gcc
USER_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -Iinclude -Iuserspace
STATIC := -static

WORKLOAD_SRCS := $(wildcard tests/workloads/*.c) userspace/stats.c
WORKLOAD_HDRS := $(wildcard tests/workloads/*.h) userspace/stats.h include/anonlazy.h
# Host tests: one binary per tests/host/test_*.c, with the sources it
# tests listed as extra prerequisites below.
HOST_TESTS := $(patsubst tests/host/%.c,$(OUT)/tests/%,$(wildcard tests/host/test_*.c))

.PHONY: all setup kernel kernel-debug modules module-stock module-ours \
	userspace host-tests host-test-bins checkpatch check check-debug mm-selftests bench \
	demo clean

all: userspace modules

setup:
	scripts/setup.sh

kernel:
	scripts/build-kernel.sh

kernel-debug:
	scripts/build-kernel.sh --variant debug

modules: module-stock module-ours

module-stock:
	scripts/build-module.sh stock

module-ours:
	scripts/build-module.sh ours

INTEG_SRCS := $(wildcard tests/integrity/*.c) tests/workloads/common.c userspace/stats.c
INTEG_HDRS := $(wildcard tests/integrity/*.h) tests/workloads/common.h userspace/stats.h

userspace: $(OUT)/bin/alwork $(OUT)/bin/alinteg

$(OUT)/bin/alwork: $(WORKLOAD_SRCS) $(WORKLOAD_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(STATIC) -o $@ $(WORKLOAD_SRCS)

$(OUT)/bin/alinteg: $(INTEG_SRCS) $(INTEG_HDRS) include/anonlazy.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/workloads -pthread $(STATIC) -o $@ $(INTEG_SRCS)

$(OUT)/tests/test_stats: userspace/stats.c userspace/stats.h

$(OUT)/tests/%: tests/host/%.c tests/host/check.h include/anonlazy.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/host -o $@ $(filter %.c,$^)

host-test-bins: $(HOST_TESTS)

# A test binary that exits non-zero (a FAIL, or a crash) fails the target.
host-tests: $(HOST_TESTS)
	@for t in $(HOST_TESTS); do $$t || { echo "FAIL: host: $$t exited $$?"; exit 1; }; done

checkpatch:
	scripts/checkpatch.sh

check:
	scripts/check.sh

check-debug:
	scripts/check.sh --debug

mm-selftests:
	scripts/mm-selftests.sh

bench:
	scripts/bench.sh

demo:
	scripts/demo.sh

clean:
	rm -rf $(OUT)
