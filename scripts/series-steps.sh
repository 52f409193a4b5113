#!/bin/bash
# Build and boot the series one patch at a time: a posted series must
# build and work after each of its patches (bisection lands anywhere).
#
#   scripts/series-steps.sh [--build-only | --boot-only] [FIRST [LAST]]
#
# For patch k of kernel/patches (all by default), the kernel of patches
# 1..k is built with the default variant's config (kernel/anonlazy.config),
# in a tree and object directory of its own under $ANONLAZY_CACHE/steps
# (the main build's are never touched), and cached by a hash of the
# patches 1..k and the config. Each kernel then boots twice under QEMU,
# with vm.anon_vma_lazy 0 and 1 (the sysctl exists from patch 1), and runs
# scripts/guest/series-step.sh: alinteg's data checks, which must all pass
# whatever the patch (states are shown in smaps from the patch that adds
# them, and are only reported before it), and a clean kernel log
# (vm-run.sh's verdict). The table goes to docs/series-steps.md when
# every step ran.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

build=1 boot=1
case ${1:-} in
--build-only) boot=0; shift ;;
--boot-only) build=0; shift ;;
esac
mapfile -t patches < <(find "$top/kernel/patches" -maxdepth 1 -name '*.patch' | sort)
n=${#patches[@]}
[ "$n" -gt 0 ] || { echo "series-steps: no patches in kernel/patches" >&2; exit 1; }
first=${1:-1}
last=${2:-$n}
case "$first$last" in *[!0-9]*) echo "series-steps: FIRST and LAST are patch numbers (1..$n)" >&2; exit 2 ;; esac
if [ "$first" -lt 1 ] || [ "$last" -gt "$n" ] || [ "$first" -gt "$last" ]; then
	echo "series-steps: want 1 <= FIRST <= LAST <= $n" >&2
	exit 2
fi

CACHE=${ANONLAZY_CACHE:-/var/cache/anonlazy}
STEPS=$CACHE/steps
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
SRC=$CACHE/src/linux-$srcver
TREE=$STEPS/src
OBJ=$STEPS/obj

stepkey() { # k: the hash of what decides kernel k: the patches' diffs
	# (from the "---" line on), not their headers: a series renumbered
	# by format-patch keeps its built steps.
	{
		echo "$srcver"
		cat kernel/anonlazy.config
		for p in "${patches[@]:0:$1}"; do sed -n '/^---$/,$p' "$p"; done
	} | sha256sum | cut -c1-16
}
image() { echo "$STEPS/kernels/$1-$(stepkey "$1")"; }

if [ $build -eq 1 ]; then
	# The main build's tree holds the pristine source (tag base) and a
	# .config of the default variant: build it first when missing.
	scripts/build-kernel.sh --variant default
	mkdir -p "$STEPS/kernels"
	exec 9>"$STEPS/lock"
	flock 9
	if [ ! -e "$TREE/.git" ]; then
		git -C "$SRC" worktree prune
		git -C "$SRC" worktree add -q --detach "$TREE" base
	fi
	export PATH=/usr/lib/ccache:$PATH
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-4G}
	export CCACHE_BASEDIR=$CACHE
	MAKE=(make --no-print-directory -C "$TREE" O="$OBJ" -j"$(nproc)")
	for k in $(seq "$first" "$last"); do
		out=$(image "$k")
		if [ -f "$out/bzImage" ]; then
			echo "series-steps: kernel of patches 1..$k is built ($out)"
			continue
		fi
		# Always from base: the tree holds exactly patches 1..k.
		git -C "$TREE" am --abort >/dev/null 2>&1 || true
		git -C "$TREE" checkout -q -f --detach base
		git -C "$TREE" -c user.name=anonlazy -c user.email=anonlazy@localhost \
			am -q --whitespace=nowarn "${patches[@]:0:$k}"
		mkdir -p "$OBJ"
		cp "$CACHE/obj/default/.config" "$OBJ/.config"
		"${MAKE[@]}" -s olddefconfig
		grep -q '^CONFIG_ANON_VMA_LAZY=y' "$OBJ/.config" || {
			echo "series-steps: patches 1..$k: CONFIG_ANON_VMA_LAZY is not set" >&2
			exit 1
		}
		echo "series-steps: building patches 1..$k ($(basename "${patches[$((k - 1))]}"))"
		start=$(date +%s)
		if ! "${MAKE[@]}" all > "$OBJ/build.log" 2>&1; then
			tail -n 40 "$OBJ/build.log" >&2
			echo "series-steps: patches 1..$k do not build; log in $OBJ/build.log" >&2
			exit 1
		fi
		warn=$(grep -c 'warning:' "$OBJ/build.log" || true)
		mkdir -p "$out.tmp"
		cp "$OBJ/arch/x86/boot/bzImage" "$OBJ/vmlinux" "$OBJ/.config" "$out.tmp/"
		"${MAKE[@]}" -s kernelrelease > "$out.tmp/release"
		echo "$(( $(date +%s) - start )) $warn" > "$out.tmp/built"
		rm -rf "$out"
		mv "$out.tmp" "$out"
		echo "series-steps: built patches 1..$k in $(cut -d' ' -f1 "$out/built") s, $warn warning(s)"
	done
fi

[ $boot -eq 1 ] || exit 0
# subject PATCH: its Subject line, unfolded, without the [PATCH n/m]
subject() {
	awk '/^Subject: / { s = $0; on = 1; next } on && /^ / { s = s $0; next } on { exit }
		END { sub(/^Subject: \[PATCH[^]]*\] /, "", s); print s }' "$1"
}
make -s userspace
rc=0
rows=()
for k in $(seq "$first" "$last"); do
	out=$(image "$k")
	[ -f "$out/bzImage" ] || { echo "series-steps: kernel $k not built: run without --boot-only" >&2; exit 1; }
	row="| $k | $(subject "${patches[$((k - 1))]}") | $(cut -d' ' -f2 "$out/built")"
	for lazy in 0 1; do
		name=step-$k-lazy$lazy
		# vm-run's dev kernel: this step's image; the tree is the
		# step tree (its kernelrelease names the initramfs).
		if AL_DEV_SRC=$TREE AL_DEV_OBJ=$OBJ AL_DEV_IMAGE=$out/bzImage \
			scripts/vm-run.sh --kernel dev --name "$name" --timeout 900 \
			--append "sysctl.vm.anon_vma_lazy=$lazy" \
			-- env AL_KERNEL="step$k-lazy$lazy" bash scripts/guest/series-step.sh; then
			v=ok
		else
			v=FAIL
			rc=1
		fi
		res=$(grep -h '^series-step:' "out/vm/$name/guest.log" | tail -n 1 || true)
		row="$row | $v: ${res#series-step: }"
	done
	rows+=("$row |")
done
{
	echo "| patch | subject | build warnings | lazy 0 | lazy 1 |"
	echo "|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
} > "out/series-steps.md"
cat out/series-steps.md
if [ "$first" = 1 ] && [ "$last" = "$n" ]; then
	{
		echo "# The series, one patch at a time"
		echo
		echo "Measured by \`scripts/series-steps.sh\` on $(date -u +%Y-%m-%d): the kernel"
		echo "of patches 1..k of kernel/patches, for each k, built with the test"
		echo "kernel's config and booted under QEMU (TCG) twice, with"
		echo "vm.anon_vma_lazy 0 and 1. In each boot \`scripts/guest/series-step.sh\`"
		echo "runs alinteg (fork + COW, splits, mremap, swap, NUMA migration, KSM,"
		echo "THP split and collapse, userfaultfd, UFFDIO_MOVE): every data check"
		echo "must pass whatever the patch; the VMA states are checked only from the"
		echo "patch that shows them in smaps (before it they are counted apart, as"
		echo "\"states not shown\"). \`ok\` also means a clean kernel log (no oops,"
		echo "BUG, WARNING, lockdep or RCU report: scripts/vm-run.sh's verdict)."
		echo
		cat out/series-steps.md
	} > docs/series-steps.md
fi
exit $rc
