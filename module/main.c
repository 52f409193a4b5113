// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy: counts anon_vma and rmap events (and, on a kernel with
 * ANON_VMA_LAZY, its lazy states) and publishes them in
 * /sys/kernel/debug/anon_vma_lazy/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "anonlazy_mod.h"

static int __init anonlazy_init(void)
{
	int ret;

	/*
	 * The simulation's table, then the probes, files last: the handlers
	 * need only the per-CPU counters and that table, and a reader of
	 * "probes" never sees registration halfway.
	 */
	ret = anonlazy_sim_init();
	if (ret)
		return ret;
	ret = anonlazy_probes_register();
	if (ret) {
		anonlazy_sim_exit();
		return ret;
	}
	ret = anonlazy_debugfs_init();
	if (ret) {
		pr_err("cannot create debugfs directory: %d\n", ret);
		anonlazy_probes_unregister();
		anonlazy_sim_exit();
	}
	return ret;
}

static void __exit anonlazy_exit(void)
{
	anonlazy_debugfs_exit();
	anonlazy_census_exit();
	anonlazy_probes_unregister();
	/* No probe and no census uses the simulation's table any more. */
	anonlazy_sim_exit();
}

module_init(anonlazy_init);
module_exit(anonlazy_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("anon_vma and ANON_VMA_LAZY event counters");
MODULE_AUTHOR("anonlazy developers");
