#!/bin/bash
# checkpatch --strict over the kernel-side sources: module/, bpf/, include/,
# tests/kmod/ and kernel/patches/. Uses scripts/checkpatch.pl of the
# unpacked 6.12 source (scripts/build-kernel.sh unpacks it). Prints
# PASS/FAIL lines per file.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
CACHE=${ANONLAZY_CACHE:-/var/cache/anonlazy}
cp=$(ls "$CACHE"/src/linux-*/scripts/checkpatch.pl 2>/dev/null | head -n1)
if [ -z "$cp" ]; then
	echo "FAIL: host: checkpatch: no kernel source unpacked yet (run 'make kernel')"
	exit 1
fi
rc=0
for f in module/*.[ch] bpf/*.[ch] include/*.h tests/kmod/*.c kernel/patches/*.patch; do
	[ -f "$f" ] || continue
	# A path that `git ls-files` knows makes checkpatch read the file as
	# source, not as a patch: give patches as ./path.
	case $f in
	*.patch) args=("./$f") ;;
	*) args=(--file "$f") ;;
	esac
	# A BPF program's settings that the loader writes before the load are
	# 'const volatile' globals (.rodata, frozen at load: the verifier
	# takes them as constants and drops the code they turn off; libbpf's
	# idiom). checkpatch warns on every volatile: not in bpf/ (there,
	# review each volatile as such a setting).
	case $f in
	bpf/*.c) args=(--ignore VOLATILE "${args[@]}") ;;
	esac
	if out=$(perl "$cp" --no-tree --strict -q "${args[@]}" 2>&1); then
		echo "PASS: host: checkpatch --strict $f"
	else
		echo "FAIL: host: checkpatch --strict $f: $(echo "$out" | grep -E '^(ERROR|WARNING|CHECK)' | head -n3 | tr '\n' ' ')"
		rc=1
	fi
done
exit $rc
