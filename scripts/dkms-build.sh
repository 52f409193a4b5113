#!/bin/bash
# Build anonlazy with DKMS the way `apt install anonlazy-dkms` would, but
# into trees of our own under out/dkms/ (the host's /var/lib/dkms and
# /lib/modules are left alone), against the stock kernel's headers:
#
#   scripts/dkms-build.sh        -> out/dkms/modules/REL/updates/dkms/anonlazy.ko
#
# make install puts the DKMS source in out/dkms/root/usr/src/anonlazy-VER;
# dkms add, build and install (--no-depmod) read its dkms.conf. The guest
# suite tests/guest/deb.sh loads the result in the stock guest (building
# it there under TCG takes ~8 minutes; here, seconds). Prints one line
# per step; exits non-zero at the first failure, naming its log.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
eval "$(scripts/kernel-env.sh stock)"
rel=$KERNEL_RELEASE
ver=$(cat VERSION)
D=$top/out/dkms
R=$D/root
DK=(--dkmstree "$D/tree" --sourcetree "$R/usr/src" --installtree "$D/modules")
rm -rf "$D"
mkdir -p "$D/tree" "$D/modules/$rel"
# dkms signs what it builds, with a key it makes on first use in
# /var/lib/dkms unless told otherwise: a throwaway key of our own instead
# (the stock guest has no Secure Boot; a signature by an unknown key loads
# as an unsigned module does).
export mok_signing_key=$D/mok.key mok_certificate=$D/mok.pub

run() {
	local name=$1
	shift
	if "$@" > "$D/$name.log" 2>&1; then
		echo "dkms-build: $name: ok"
	else
		echo "dkms-build: $name failed (log: $D/$name.log):" >&2
		tail -n 10 "$D/$name.log" >&2
		exit 1
	fi
}
run install make -s install DESTDIR="$R" PREFIX=/usr
run add dkms add "${DK[@]}" -m anonlazy -v "$ver"
run build dkms build "${DK[@]}" -m anonlazy -v "$ver" -k "$rel"
run dkms-install dkms install "${DK[@]}" --no-depmod -m anonlazy -v "$ver" -k "$rel"
ko=$D/modules/$rel/updates/dkms/anonlazy.ko
[ -f "$ko" ] || { echo "dkms-build: dkms install left no $ko" >&2; exit 1; }
echo "$ko"
