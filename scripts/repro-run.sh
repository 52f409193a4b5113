#!/bin/bash
# Run one guest suite on a "before" kernel that scripts/repro-kernel.sh
# built, with the toolkit's modules built for it:
#
#   scripts/repro-run.sh NAME SUITE [vm-run options]
#
# e.g. scripts/repro-run.sh upgrade-allocates census. A module's BTF is
# checked against the booted kernel's, and kbuild takes its base from
# $OBJ/vmlinux: so this puts the before kernel's vmlinux there, builds
# anonlazy.ko and alrace.ko against it, boots the before kernel (the
# guest log is out/vm/before-NAME-SUITE/guest.log), then puts the cached
# kernel's vmlinux back and rebuilds the modules for it, whatever the
# suite's outcome. Exits with the guest's status.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: repro-run.sh NAME SUITE [vm-run options]" >&2; exit 2; }
name=$1 suite=$2
shift 2
cd "$top"
CACHE=${ANONLAZY_CACHE:-/var/cache/anonlazy}
before=$CACHE/repro/$name
[ -f "$before/bzImage" ] && [ -f "$before/vmlinux" ] || {
	echo "repro-run: no $before/bzImage: run scripts/repro-kernel.sh tests/repro/$name.diff first" >&2
	exit 1
}
[ -f "tests/guest/$suite.sh" ] || { echo "repro-run: no suite tests/guest/$suite.sh" >&2; exit 2; }
eval "$(scripts/build-kernel.sh --variant default --env)"
OBJ=$KERNEL_BUILD

restore() {
	cp "$KERNEL_VMLINUX" "$OBJ/vmlinux"
	scripts/build-module.sh ours > /dev/null
	scripts/build-module.sh ours alrace > /dev/null
	echo "repro-run: modules rebuilt for kernel $KERNEL_KEY"
}
trap restore EXIT
cp "$before/vmlinux" "$OBJ/vmlinux"
export AL_DEV_SRC=$KERNEL_SRC AL_DEV_OBJ=$OBJ AL_DEV_IMAGE=$before/bzImage
scripts/build-module.sh dev > /dev/null
scripts/build-module.sh dev alrace > /dev/null
rc=0
scripts/vm-run.sh --kernel dev --name "before-$name-$suite" "$@" -- \
	env AL_KERNEL=ours bash "tests/guest/$suite.sh" || rc=$?
grep -E '^FAIL: ' "out/vm/before-$name-$suite/guest.log" || true
exit $rc
