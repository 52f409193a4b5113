#!/bin/bash
# make bench: measurements, not tests. Boots our kernel with slab_nomerge
# and prints the anon_vma / anon_vma_chain slab cost of a few workloads
# with vm.anon_vma_lazy 0 and 1, measured in one boot; the table also goes
# to docs/bench-slab.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/setup.sh > /dev/null
make -s userspace
if ! scripts/vm-run.sh --kernel ours --name bench-slab --append slab_nomerge -- \
	bash scripts/guest/bench-slab.sh > /dev/null; then
	cat out/vm/bench-slab/guest.log >&2
	echo "bench: the measurement failed; nothing written to docs/" >&2
	exit 1
fi
eval "$(scripts/kernel-env.sh ours 2>/dev/null)"
mkdir -p docs
{
	echo "# anon_vma slab cost with and without ANON_VMA_LAZY"
	echo
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d), kernel $KERNEL_RELEASE"
	echo "(key $KERNEL_KEY), QEMU TCG guest, 2 vCPUs, 2 GiB, slab_nomerge."
	echo "Each row: the slab objects and KB a workload holds (active objects"
	echo "while it runs minus before it started), with vm.anon_vma_lazy 0 and"
	echo "then 1, in the same boot."
	echo
	cat out/vm/bench-slab/guest.log
	echo
	echo "Without a fork, every faulted VMA is a lazy root: no anon_vma, no"
	echo "anon_vma_chain. A fork upgrades the parent's lazy roots and gives each"
	echo "child VMA its own anon_vma, as without the feature: the saving there"
	echo "waits for parent-linked children (part 2 of the kernel work)."
} > docs/bench-slab.md
cat docs/bench-slab.md
