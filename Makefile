# anonlazy: observability for ANON_VMA_LAZY.
#
#   make setup     install the Debian packages the project needs (no kernel
#                  image: the stock guest kernel is unpacked into the cache)
#   make demo      build, boot our kernel, load the module, run a workload,
#                  show stats and probes
#   make check     every test: host tests, then guest tests on both kernels
#
# Longer ones: mm-selftests (the kernel's mm selftests, vm.anon_vma_lazy 0
# and 1), check-debug (guest suites and mm selftests on the KASAN + lockdep
# kernel), bench (slab and time cost with and without ANON_VMA_LAZY, probe
# overhead and the per-hit cost of each probe mechanism, census at scale,
# upgrade lock holds, anonlazy-top's own CPU time, the census's estimate
# against the real saving on real programs, to docs/; then their
# figures, as plots does), stress (the module loaded and unloaded under
# load, 1000 times on ours and stock, 100 on the debug kernel with
# kmemleak, to docs/stress.md).
# Other targets: kernel, kernel-debug, modules, userspace, bpf, host-tests,
# plots (the bench's figures from docs/*.md, gnuplot, into docs/img/),
# checkpatch, clean; install, uninstall (DESTDIR, PREFIX) and deb (the
# Debian packages, into out/deb/): see README's "Install".

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
	userspace bpf FORCE host-tests host-test-bins fuzz fuzz-bins checkpatch check check-debug mm-selftests bench \
	plots demo clean install uninstall deb stress

all: userspace modules bpf

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
INTEG_HDRS := $(wildcard tests/integrity/*.h) tests/workloads/common.h tests/workloads/uffd_move.h userspace/stats.h

userspace: $(OUT)/bin/alwork $(OUT)/bin/alinteg $(OUT)/bin/anonlazy-top

$(OUT)/bin/alwork: $(WORKLOAD_SRCS) $(WORKLOAD_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(STATIC) -o $@ $(WORKLOAD_SRCS)

$(OUT)/bin/alinteg: $(INTEG_SRCS) $(INTEG_HDRS) include/anonlazy.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/workloads -pthread $(STATIC) -o $@ $(INTEG_SRCS)

# anonlazy-top (issue 13): userspace/anonlazy-top.c and its top_*.c parts.
TOP_SRCS := $(wildcard userspace/top_*.c) userspace/stats.c userspace/esc.c
TOP_HDRS := $(wildcard userspace/top_*.h) userspace/stats.h userspace/esc.h \
	include/anonlazy.h

# The two installed tools also take a packager's CPPFLAGS, CFLAGS and
# LDFLAGS (debian/rules passes dpkg-buildflags' hardening flags).
$(OUT)/bin/anonlazy-top: userspace/anonlazy-top.c $(TOP_SRCS) $(TOP_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ userspace/anonlazy-top.c $(TOP_SRCS)

# BPF (bpf/): CO-RE programs and their loader, out/bin/anonlazy-bpf.
# vmlinux.h is generated, never committed, from the BTF of our kernel's
# vmlinux (scripts/kernel-env.sh ours, which builds the kernel when the
# cache lacks it), or of VMLINUX_BTF=FILE; inside a guest (AL_RUN set by
# scripts/guest/run-in-guest.sh), of the running kernel. It is rewritten
# only when its text changes, so the object is rebuilt only then.
BPF_CLANG := clang
BPFTOOL := bpftool
BPF_OUT := $(OUT)/bpf

BPF_LOADER_SRCS := userspace/anonlazy-bpf.c userspace/bpf_front.c \
	userspace/bpf_opts.c userspace/bpf_env.c userspace/bpf_ksyms.c \
	userspace/bpf_pick.c userspace/bpf_load.c userspace/bpf_read.c \
	userspace/bpf_print.c userspace/bpf_sock.c userspace/bpf_census.c userspace/esc.c
BPF_LOADER_HDRS := $(wildcard userspace/bpf_*.h) userspace/esc.h bpf/anonlazy_bpf.h \
	include/anonlazy.h

bpf: $(OUT)/bin/anonlazy-bpf

FORCE:

$(BPF_OUT)/vmlinux.h: FORCE
	@mkdir -p $(dir $@)
	@btf='$(VMLINUX_BTF)'; \
	if [ -z "$$btf" ] && [ -n "$$AL_RUN" ]; then btf=/sys/kernel/btf/vmlinux; fi; \
	if [ -z "$$btf" ]; then \
		env=$$(scripts/kernel-env.sh ours) || exit 1; \
		btf=$$(echo "$$env" | sed -n 's/^KERNEL_VMLINUX=//p'); \
	fi; \
	[ -r "$$btf" ] || { echo "bpf: no BTF in '$$btf' (VMLINUX_BTF=FILE)" >&2; exit 1; }; \
	$(BPFTOOL) btf dump file "$$btf" format c > $@.tmp || exit 1; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; echo "bpf: $@ from $$btf"; fi

$(BPF_OUT)/anonlazy.bpf.o: bpf/anonlazy.bpf.c bpf/anonlazy_bpf.h include/anonlazy.h $(BPF_OUT)/vmlinux.h
	$(BPF_CLANG) -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
		-I$(BPF_OUT) -Iinclude -Ibpf -c $< -o $@

$(BPF_OUT)/anonlazy.skel.h: $(BPF_OUT)/anonlazy.bpf.o
	$(BPFTOOL) gen skeleton $< name anonlazy_bpf > $@.tmp
	mv $@.tmp $@

$(OUT)/bin/anonlazy-bpf: $(BPF_LOADER_SRCS) $(BPF_LOADER_HDRS) $(BPF_OUT)/anonlazy.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Ibpf -I$(BPF_OUT) -pthread \
		-o $@ $(BPF_LOADER_SRCS) -lbpf

$(OUT)/tests/test_stats: userspace/stats.c userspace/stats.h
$(OUT)/tests/test_esc: userspace/esc.c userspace/esc.h
# anonlazy-top's tests: its parts, and the binary the command-line tests run
$(patsubst tests/host/%.c,$(OUT)/tests/%,$(wildcard tests/host/test_top_*.c)): \
	$(TOP_SRCS) $(TOP_HDRS) $(OUT)/bin/anonlazy-top

# anonlazy-top --source bpf against anonlazy-bpf's socket server and printers
$(OUT)/tests/test_top_bpf: userspace/bpf_sock.c userspace/bpf_sock.h \
	userspace/bpf_opts.c userspace/esc.c userspace/esc.h userspace/bpf_print.c userspace/bpf_print.h bpf/anonlazy_bpf.h
$(OUT)/tests/test_top_bpf: TEST_FLAGS := -Ibpf -pthread

# The loader's host tests: its parts that run before any bpf() call (no
# skeleton, so no kernel BTF is needed to build them).
BPF_FRONT_SRCS := userspace/bpf_front.c userspace/bpf_opts.c userspace/bpf_env.c \
	userspace/esc.c
$(OUT)/tests/test_bpf_opts: userspace/bpf_opts.c userspace/bpf_opts.h userspace/esc.c \
	userspace/esc.h
$(OUT)/tests/test_bpf_front: $(BPF_FRONT_SRCS) $(wildcard userspace/bpf_*.h) userspace/esc.h
$(OUT)/tests/test_bpf_print: userspace/bpf_print.c userspace/bpf_print.h \
	bpf/anonlazy_bpf.h userspace/stats.c userspace/stats.h
$(OUT)/tests/test_bpf_ksyms: userspace/bpf_ksyms.c userspace/bpf_ksyms.h
$(OUT)/tests/test_bpf_sock: userspace/bpf_sock.c userspace/bpf_sock.h \
	userspace/bpf_opts.c userspace/bpf_opts.h userspace/stats.c userspace/stats.h \
	userspace/esc.c userspace/esc.h
$(OUT)/tests/test_bpf_%: TEST_FLAGS := -Ibpf -pthread -lbpf
# make install into a temporary DESTDIR; the two tools' --help texts
$(OUT)/tests/test_install: $(TOP_SRCS) $(TOP_HDRS) userspace/bpf_opts.c \
	userspace/bpf_opts.h $(OUT)/bin/anonlazy-top

$(OUT)/tests/%: tests/host/%.c tests/host/check.h include/anonlazy.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/host -o $@ $(filter %.c,$^) $(TEST_FLAGS)

host-test-bins: $(HOST_TESTS)

# Fuzzing (tests/fuzz/): libFuzzer harnesses, one per parser of input,
# built with clang-14 (libclang-rt-14-dev: the fuzzer runtime) under
# ASan and UBSan; make fuzz builds them and runs each FUZZ_RUNS times from
# seed FUZZ_SEED on its corpus, tests/fuzz/corpus/NAME/ (reproducible:
# tests/host/test_fuzz.sh). New inputs go to out/fuzz/work/NAME/, a
# crash's input to out/fuzz/crash/. Also anonlazy-top and (when make bpf
# has made its skeleton) anonlazy-bpf under the same sanitizers, for
# tests/host/test_argfuzz.sh.
FUZZ_CC := clang-14
FUZZ_OUT := $(OUT)/fuzz
FUZZ_RUNS ?= 50000
FUZZ_SEED ?= 1
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer \
	$(FUZZ_SAN) -Iinclude -Iuserspace -Ibpf -Itests/fuzz
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst %,$(FUZZ_OUT)/fuzz_%,$(FUZZ_NAMES))
FUZZ_HDRS := $(wildcard tests/fuzz/*.h userspace/*.h) include/anonlazy.h bpf/anonlazy_bpf.h
fo = $(patsubst userspace/%.c,$(FUZZ_OUT)/obj/%.o,$(1))
FUZZ_TOP_OBJS := $(call fo,$(TOP_SRCS))

$(FUZZ_OUT)/obj/%.o: userspace/%.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(FUZZ_OUT)/obj/fuzz_%.o: tests/fuzz/fuzz_%.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# Each harness with the sources it reads through.
FUZZ_DEPS_bpf_opts := $(call fo,userspace/bpf_opts.c userspace/esc.c)
FUZZ_DEPS_bpf_sock := $(call fo,userspace/bpf_sock.c userspace/bpf_opts.c userspace/esc.c)
FUZZ_DEPS_ksyms := $(call fo,userspace/bpf_ksyms.c)
FUZZ_DEPS_bpf_env := $(call fo,userspace/bpf_env.c userspace/esc.c)
FUZZ_DEPS_esc := $(call fo,userspace/esc.c)
FUZZ_LIBS_bpf_env := -lbpf
fuzz_deps = $(if $(filter undefined,$(origin FUZZ_DEPS_$(1))),$(FUZZ_TOP_OBJS),$(FUZZ_DEPS_$(1)))

.SECONDEXPANSION:
$(FUZZ_OUT)/fuzz_%: $(FUZZ_OUT)/obj/fuzz_%.o $$(call fuzz_deps,$$*)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ -pthread $(FUZZ_LIBS_$*)

$(FUZZ_OUT)/bin/anonlazy-top: $(FUZZ_OUT)/obj/anonlazy-top.o $(FUZZ_TOP_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^

# The loader only from a skeleton make bpf made already: its rule would
# need a kernel's BTF (no kernel is built for a test).
FUZZ_ARG_BINS := $(FUZZ_OUT)/bin/anonlazy-top
ifneq ($(wildcard $(BPF_OUT)/anonlazy.skel.h),)
FUZZ_ARG_BINS += $(FUZZ_OUT)/bin/anonlazy-bpf
endif
$(FUZZ_OUT)/bin/anonlazy-bpf: $(BPF_LOADER_SRCS) $(BPF_LOADER_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(BPF_OUT) -o $@ $(BPF_LOADER_SRCS) -pthread -lbpf

fuzz-bins: $(FUZZ_BINS) $(FUZZ_ARG_BINS)

fuzz: fuzz-bins
	bash tests/host/test_fuzz.sh

# A test binary that exits non-zero (a FAIL, or a crash) fails the target.
host-tests: $(HOST_TESTS)
	@for t in $(HOST_TESTS); do $$t || { echo "FAIL: host: $$t exited $$?"; exit 1; }; done

checkpatch:
	scripts/checkpatch.sh

check:
	scripts/check.sh

check-debug:
	scripts/check.sh --debug

# the module loaded and unloaded 1000 times under load on our kernel and the
# stock one, 100 on the debug kernel with kmemleak (STRESS_CYCLES,
# STRESS_DEBUG_CYCLES); stress-ng on the debug kernel with the module and
# anonlazy-bpf (STRESSNG_SECONDS, 600) -> docs/stress.md
stress:
	scripts/check.sh --stress

mm-selftests:
	scripts/mm-selftests.sh

bench:
	scripts/bench.sh

# the bench's figures: docs/img/*.png and *.svg from the tables in docs/
plots:
	scripts/plots.sh

demo:
	scripts/demo.sh

clean:
	rm -rf $(OUT)

# make install / uninstall [DESTDIR=DIR] [PREFIX=/usr/local]: the tools,
# their man pages and bash completion, the perf and bpftrace scripts, and
# the module's source for DKMS. anonlazy-bpf is installed when it is built
# (make bpf needs our kernel's BTF): install never builds it. The DKMS
# tree goes to /usr/src/anonlazy-VERSION whatever PREFIX (where dkms looks),
# under DESTDIR; install does not run dkms (README: "Install").
VERSION := $(shell cat VERSION)
PREFIX ?= /usr/local
BINDIR := $(PREFIX)/bin
MAN1DIR := $(PREFIX)/share/man/man1
COMPLDIR := $(PREFIX)/share/bash-completion/completions
SHAREDIR := $(PREFIX)/share/anonlazy
DKMSDIR := /usr/src/anonlazy-$(VERSION)
# What a DKMS build needs: the root Kbuild, module/, the shared header.
DKMS_SRCS := Kbuild $(wildcard module/*.c module/*.h) include/anonlazy.h
# scripts/perf/ as it is, under share/anonlazy/ (anonlazy-report finds
# anonlazy-report.py beside it)
PERF_EXEC := scripts/perf/anonlazy-record scripts/perf/anonlazy-report \
	$(wildcard scripts/perf/bpftrace/*.bt)
PERF_DATA := scripts/perf/anonlazy-report.py scripts/perf/bpftrace/one-liners.txt
TOOLS := anonlazy-top anonlazy-bpf

install: $(OUT)/bin/anonlazy-top
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(COMPLDIR) \
		$(DESTDIR)$(SHAREDIR)/bpftrace $(DESTDIR)$(DKMSDIR)/module \
		$(DESTDIR)$(DKMSDIR)/include
	@for t in $(TOOLS); do \
		if [ ! -e $(OUT)/bin/$$t ]; then \
			echo "install: $(OUT)/bin/$$t is not built: not installed (make bpf builds anonlazy-bpf)"; \
			continue; \
		fi; \
		echo "install: $$t"; \
		install -m 755 $(OUT)/bin/$$t $(DESTDIR)$(BINDIR)/$$t && \
		install -m 644 userspace/$$t.1 $(DESTDIR)$(MAN1DIR)/$$t.1 && \
		install -m 644 scripts/completion/$$t $(DESTDIR)$(COMPLDIR)/$$t || exit 1; \
	done
	install -m 755 $(filter-out %.bt,$(PERF_EXEC)) $(DESTDIR)$(SHAREDIR)/
	install -m 755 $(filter %.bt,$(PERF_EXEC)) $(DESTDIR)$(SHAREDIR)/bpftrace/
	install -m 644 scripts/perf/anonlazy-report.py $(DESTDIR)$(SHAREDIR)/
	install -m 644 scripts/perf/bpftrace/one-liners.txt $(DESTDIR)$(SHAREDIR)/bpftrace/
	install -m 644 Kbuild $(DESTDIR)$(DKMSDIR)/
	install -m 644 $(filter module/%,$(DKMS_SRCS)) $(DESTDIR)$(DKMSDIR)/module/
	install -m 644 include/anonlazy.h $(DESTDIR)$(DKMSDIR)/include/
	sed 's/#MODULE_VERSION#/$(VERSION)/g' dkms.conf > $(DESTDIR)$(DKMSDIR)/dkms.conf
	chmod 644 $(DESTDIR)$(DKMSDIR)/dkms.conf
	@[ -n "$(DESTDIR)" ] || echo "install: module source in $(DKMSDIR): dkms install anonlazy/$(VERSION) builds and installs it"

# make deb: scripts/build-deb.sh (dpkg-buildpackage on a copy of the tree
# in out/deb/build, lintian on the result): out/deb/*.deb. VMLINUX_BTF=FILE
# adds anonlazy-bpf to anonlazy-tools.
deb:
	scripts/build-deb.sh

uninstall:
	@if [ -z "$(DESTDIR)" ] && command -v dkms > /dev/null && \
		[ -n "$$(dkms status -m anonlazy -v $(VERSION) 2> /dev/null)" ]; then \
		echo "uninstall: DKMS still has anonlazy/$(VERSION): dkms remove anonlazy/$(VERSION) --all first" >&2; \
		exit 1; \
	fi
	rm -f $(patsubst %,$(DESTDIR)$(BINDIR)/%,$(TOOLS)) \
		$(patsubst %,$(DESTDIR)$(MAN1DIR)/%.1,$(TOOLS)) \
		$(patsubst %,$(DESTDIR)$(COMPLDIR)/%,$(TOOLS))
	rm -f $(patsubst scripts/perf/%,$(DESTDIR)$(SHAREDIR)/%,$(PERF_EXEC) $(PERF_DATA))
	rm -f $(patsubst %,$(DESTDIR)$(DKMSDIR)/%,$(DKMS_SRCS) dkms.conf)
	@for d in $(DESTDIR)$(SHAREDIR)/bpftrace $(DESTDIR)$(SHAREDIR) \
		$(DESTDIR)$(DKMSDIR)/module $(DESTDIR)$(DKMSDIR)/include $(DESTDIR)$(DKMSDIR); do \
		[ ! -d $$d ] || rmdir $$d || echo "uninstall: $$d: left, it holds other files"; \
	done
