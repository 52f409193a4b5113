#!/bin/bash
# Build the anonlazy test kernel from Debian's linux-source-6.12.
#
#   scripts/build-kernel.sh [--variant default|debug] [--env]
#
# Outputs are cached outside the repository, under $ANONLAZY_CACHE
# (default /var/cache/anonlazy), keyed by a hash of the source package
# version, the config fragments, kernel/patches/*.patch and RECIPE below.
# With nothing changed a second run is a no-op; after a change the shared
# object directory and ccache make it incremental.
#
# --env prints shell assignments for the finished kernel:
#   KERNEL_KEY KERNEL_IMAGE KERNEL_VMLINUX KERNEL_BUILD KERNEL_SRC KERNEL_RELEASE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
variant=default
print_env=0
while [ $# -gt 0 ]; do
	case $1 in
	--variant) variant=$2; shift 2 ;;
	--env) print_env=1; shift ;;
	*) echo "build-kernel: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

fragments=("$top/kernel/anonlazy.config")
case $variant in
default) ;;
debug) fragments+=("$top/kernel/debug.config") ;;
*) echo "build-kernel: unknown variant '$variant'" >&2; exit 2 ;;
esac

CACHE=${ANONLAZY_CACHE:-/var/cache/anonlazy}
TARBALL=/usr/src/linux-source-6.12.tar.xz
log() { [ $print_env -eq 1 ] && echo "build-kernel: $*" >&2 || echo "build-kernel: $*"; }

if [ ! -r "$TARBALL" ]; then
	echo "build-kernel: $TARBALL missing: run 'make setup' first" >&2
	exit 1
fi
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
mkdir -p "$CACHE"

patches=()
if [ -d "$top/kernel/patches" ]; then
	while IFS= read -r p; do patches+=("$p"); done < \
		<(find "$top/kernel/patches" -maxdepth 1 -name '*.patch' | sort)
fi

# The key: everything that decides what the kernel is. RECIPE names the
# way this script builds; bump it when a change here changes the kernel.
RECIPE=2
key=$( {
	echo "linux-source-6.12 $srcver variant $variant recipe $RECIPE"
	cat "${fragments[@]}"
	for p in "${patches[@]}"; do echo "== $(basename "$p")"; cat "$p"; done
} | sha256sum | cut -c1-16)
patchkey=$( { echo "$srcver"; for p in "${patches[@]}"; do cat "$p"; done; } |
	sha256sum | cut -c1-16)

SRC=$CACHE/src/linux-$srcver
OBJ=$CACHE/obj/$variant
OUT=$CACHE/kernels/$key

emit_env() {
	[ $print_env -eq 1 ] || return 0
	echo "KERNEL_KEY=$key"
	echo "KERNEL_IMAGE=$OUT/bzImage"
	echo "KERNEL_VMLINUX=$OUT/vmlinux"
	echo "KERNEL_BUILD=$OBJ"
	echo "KERNEL_SRC=$SRC"
	echo "KERNEL_RELEASE=$(cat "$OUT/release")"
}

up_to_date() {
	[ -f "$OUT/bzImage" ] && [ "$(cat "$OBJ/.anonlazy-key" 2>/dev/null)" = "$key" ]
}
# Checked before and after taking the lock: a finished kernel needs no lock
# (a build of the other variant may hold it for half an hour).
if up_to_date; then
	log "kernel $variant $key is up to date ($OUT)"
	emit_env
	exit 0
fi
exec 9>"$CACHE/lock"
flock 9
if up_to_date; then
	log "kernel $variant $key is up to date ($OUT)"
	emit_env
	exit 0
fi

# 1. A pristine source tree under git, once per source version.
if [ ! -f "$SRC/.anonlazy-base" ]; then
	log "unpacking $TARBALL (once)"
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	tar -xf "$TARBALL" -C "$SRC.tmp" --strip-components=1
	git -C "$SRC.tmp" init -q
	git -C "$SRC.tmp" -c user.name=anonlazy -c user.email=anonlazy@localhost \
		add -A -f
	git -C "$SRC.tmp" -c user.name=anonlazy -c user.email=anonlazy@localhost \
		commit -q -m "linux-source-6.12 $srcver"
	git -C "$SRC.tmp" tag base
	touch "$SRC.tmp/.anonlazy-base"
	mv "$SRC.tmp" "$SRC"
fi

# 2. Our patches on top, in order, with git am.
if [ "$(cat "$SRC/.anonlazy-patches" 2>/dev/null)" != "$patchkey" ]; then
	log "applying ${#patches[@]} patch(es) from kernel/patches"
	git -C "$SRC" am --abort >/dev/null 2>&1 || true
	git -C "$SRC" checkout -q -f -B anonlazy base
	if [ ${#patches[@]} -gt 0 ]; then
		if ! git -C "$SRC" -c user.name=anonlazy -c user.email=anonlazy@localhost \
			am -q --whitespace=nowarn "${patches[@]}"; then
			git -C "$SRC" am --abort >/dev/null 2>&1 || true
			echo "build-kernel: a patch in kernel/patches does not apply" >&2
			exit 1
		fi
	fi
	echo "$patchkey" > "$SRC/.anonlazy-patches"
fi

# 3. Configure: defconfig + kvm_guest + our fragments, then verify.
export PATH=/usr/lib/ccache:$PATH
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-4G}
export CCACHE_BASEDIR=$CACHE
mkdir -p "$OBJ"
MAKE=(make --no-print-directory -C "$SRC" O="$OBJ" -j"$(nproc)")
cfgkey=$( { echo "$RECIPE"; cat "${fragments[@]}"; } | sha256sum | cut -c1-16)
if [ "$(cat "$OBJ/.anonlazy-cfgkey" 2>/dev/null)" != "$cfgkey" ] || [ ! -f "$OBJ/.config" ]; then
	log "configuring $variant"
	"${MAKE[@]}" -s x86_64_defconfig
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" \
		"$SRC/kernel/configs/kvm_guest.config" "${fragments[@]}" >/dev/null
fi
"${MAKE[@]}" -s olddefconfig
# Later fragments override earlier ones, as in merge_config.sh.
declare -A want=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) want[${line%%=*}]=$line ;;
	"# CONFIG_"*" is not set") opt=${line#\# }; want[${opt%% *}]="" ;;
	esac
done < <(cat "${fragments[@]}")
bad=0
for opt in "${!want[@]}"; do
	have=$(grep -E "^$opt=" "$OBJ/.config" || true)
	if [ "$have" != "${want[$opt]}" ]; then
		echo "build-kernel: $opt: wanted '${want[$opt]:-unset}', got '${have:-unset}'" >&2
		bad=1
	fi
done
[ $bad -eq 0 ] || { echo "build-kernel: config fragment not honoured" >&2; exit 1; }
echo "$cfgkey" > "$OBJ/.anonlazy-cfgkey"

# 4. Build.
log "building $variant $key with $(nproc) jobs (cold: ~30 min, warm: ~2 min)"
start=$(date +%s)
if ! "${MAKE[@]}" all > "$OBJ/build.log" 2>&1; then
	tail -n 40 "$OBJ/build.log" >&2
	echo "build-kernel: build failed; full log in $OBJ/build.log" >&2
	exit 1
fi
log "built in $(( $(date +%s) - start )) s"

mkdir -p "$OUT.tmp"
cp "$OBJ/arch/x86/boot/bzImage" "$OBJ/vmlinux" "$OBJ/.config" "$OBJ/System.map" "$OUT.tmp/"
"${MAKE[@]}" -s kernelrelease > "$OUT.tmp/release"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
echo "$key" > "$OBJ/.anonlazy-key"
# Keep the eight newest kernels (~250 MB each), this one among them.
ls -1dt "$CACHE"/kernels/*/ 2>/dev/null | tail -n +9 | while read -r old; do
	[ "${old%/}" = "$OUT" ] || rm -rf "$old"
done
log "kernel $variant $key ready: $OUT"
emit_env
