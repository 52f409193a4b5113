// SPDX-License-Identifier: GPL-2.0
/*
 * almech: one kprobe or one kretprobe on one function, counting its hits
 * per CPU, for scripts/guest/bench-mech.sh: the cost of a hit of each probe
 * mechanism, the module's beside BPF's. Not part of anonlazy.ko, never
 * installed; built by scripts/build-module.sh KERNEL almech.
 *
 *   insmod almech.ko sym=__x64_sys_getppid kind=kprobe|kretprobe
 *   cat /sys/module/almech/parameters/hits
 *
 * The handlers do what the anonlazy module's cheapest ones do: a per-CPU
 * increment.
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/sysfs.h>

static char *sym = "__x64_sys_getppid";
module_param(sym, charp, 0444);
MODULE_PARM_DESC(sym, "The function to probe");

static char *kind = "kprobe";
module_param(kind, charp, 0444);
MODULE_PARM_DESC(kind, "kprobe (at the entry) or kretprobe (at the return)");

static DEFINE_PER_CPU(unsigned long, almech_hits);

static int hits_get(char *buf, const struct kernel_param *kp)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += per_cpu(almech_hits, cpu);
	return sysfs_emit(buf, "%lu\n", n);
}

static const struct kernel_param_ops hits_ops = {
	.get = hits_get,
};
module_param_cb(hits, &hits_ops, NULL, 0444);
MODULE_PARM_DESC(hits, "The hits counted so far");

static int entry_hit(struct kprobe *p, struct pt_regs *regs)
{
	this_cpu_inc(almech_hits);
	return 0;
}

static int return_hit(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	this_cpu_inc(almech_hits);
	return 0;
}

static struct kprobe almech_kp = {
	.pre_handler = entry_hit,
};

static struct kretprobe almech_krp = {
	.handler = return_hit,
	.maxactive = 64,
};

static bool almech_ret;

static int __init almech_init(void)
{
	int err;

	if (!strcmp(kind, "kretprobe")) {
		almech_ret = true;
		almech_krp.kp.symbol_name = sym;
		err = register_kretprobe(&almech_krp);
	} else if (!strcmp(kind, "kprobe")) {
		almech_kp.symbol_name = sym;
		err = register_kprobe(&almech_kp);
	} else {
		pr_err("almech: kind=%s: want kprobe or kretprobe\n", kind);
		return -EINVAL;
	}
	if (err)
		pr_err("almech: %s on %s: error %d\n", kind, sym, err);
	return err;
}

static void __exit almech_exit(void)
{
	if (almech_ret)
		unregister_kretprobe(&almech_krp);
	else
		unregister_kprobe(&almech_kp);
}

module_init(almech_init);
module_exit(almech_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("One kprobe or kretprobe counting its hits (anonlazy bench-mech)");
