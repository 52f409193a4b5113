#!/bin/bash
# Build the guest initramfs for one kernel release:
#   scripts/mkinitramfs.sh RELEASE OUTPUT.cpio.gz [MODULES]
# busybox, /init (scripts/guest/initramfs-init) and, when the kernel has
# them as modules, the virtio and 9p modules /init loads before it mounts
# the host's root over 9p. MODULES is the kernel's module tree, a
# .../lib/modules/RELEASE directory (the stock kernel's, unpacked in the
# cache); default /lib/modules/RELEASE.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rel=$1
out=$2
mods=${3:-/lib/modules/$rel}
# modprobe -d takes the root that holds lib/modules/RELEASE.
root=${mods%/lib/modules/$rel}
[ "$root/lib/modules/$rel" = "$mods" ] || {
	echo "mkinitramfs: $mods is not a .../lib/modules/$rel directory" >&2
	exit 2
}
root=${root:-/}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$work/bin/busybox"
cp "$top/scripts/guest/initramfs-init" "$work/init"
chmod 755 "$work/init"

# Modules in dependency order, if this kernel has 9p as a module.
if [ -d "$mods" ] &&
	modprobe -d "$root" -S "$rel" --show-depends 9p >/dev/null 2>&1; then
	: > "$work/modules/order"
	for m in virtio_pci 9pnet_virtio 9p; do
		modprobe -d "$root" -S "$rel" --show-depends "$m"
	done | awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++' |
	while read -r ko; do
		base=$(basename "$ko")
		case $ko in
		*.xz) xz -dc "$ko" > "$work/modules/${base%.xz}"; base=${base%.xz} ;;
		*.zst) zstd -qdc "$ko" > "$work/modules/${base%.zst}"; base=${base%.zst} ;;
		*) cp "$ko" "$work/modules/$base" ;;
		esac
		echo "$base" >> "$work/modules/order"
	done
fi

mkdir -p "$(dirname "$out")"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
