#!/bin/bash
# make demo: set up, build our kernel and the module, boot the kernel (with
# vm.anon_vma_lazy=1) under QEMU, load the module, run a workload and show
# stats and probes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/setup.sh
make -s userspace
scripts/build-module.sh ours > /dev/null
rc=0
scripts/vm-run.sh --kernel ours --name demo --append sysctl.vm.anon_vma_lazy=1 -- \
	bash scripts/guest/demo.sh || rc=$?
echo
cat out/vm/demo/guest.log
exit $rc
