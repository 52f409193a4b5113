// SPDX-License-Identifier: GPL-2.0
/*
 * alrace: widen one race window of the lazy rmap walk, on demand, so a
 * guest test can hit it every time (alwork idlemove; tests/guest/lazy.sh).
 * Not part of anonlazy.ko, never installed; built by
 * scripts/build-module.sh KERNEL alrace.
 *
 * A lazy rmap walk reads the folio's mapping, then takes the lazy lock of
 * the root it names (__folio_lock_lazy_vma() calls down_read()). A kprobe
 * on down_read() stalls that call, once per arming, when the caller is
 * __folio_lock_lazy_vma() and the thread's comm is ALRACE_COMM, until the
 * test writes release (or delay_ms passed: a timeout, counted): in that
 * window the test moves the folio to another lazy root with UFFDIO_MOVE,
 * so the walk then takes the lock of a root the folio has left, whatever
 * the timing of the emulator it runs in.
 *
 *   insmod alrace.ko [delay_ms=2000]
 *   echo 1 > /sys/module/alrace/parameters/arm      one stall, next match
 *   cat /sys/module/alrace/parameters/stalls        stalls begun so far
 *   echo 1 > /sys/module/alrace/parameters/release  end the stall
 *   cat /sys/module/alrace/parameters/timeouts      stalls never released
 */
#include <linux/delay.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/string.h>

#define ALRACE_COMM	"alrace-walk"
#define ALRACE_CALLER	"__folio_lock_lazy_vma"
#define ALRACE_MAX_MS	2000

static unsigned int delay_ms = 2000;
static bool arm;
static bool release;
static atomic_t stalls = ATOMIC_INIT(0);
static atomic_t timeouts = ATOMIC_INIT(0);

static int delay_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int err = kstrtouint(val, 10, &ms);

	if (err)
		return err;
	if (!ms || ms > ALRACE_MAX_MS)
		return -EINVAL;
	WRITE_ONCE(delay_ms, ms);
	return 0;
}

static const struct kernel_param_ops delay_ops = {
	.set = delay_set,
	.get = param_get_uint,
};
module_param_cb(delay_ms, &delay_ops, &delay_ms, 0644);
MODULE_PARM_DESC(delay_ms, "The longest a stall lasts unreleased, 1 to 2000 ms");

module_param(arm, bool, 0644);
MODULE_PARM_DESC(arm, "1: stall the next matching down_read(); 0 again once it has");
module_param(release, bool, 0644);
MODULE_PARM_DESC(release, "1: end the stall now (0 again when a stall begins)");

static int count_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops count_ops = {
	.get = count_get,
};
module_param_cb(stalls, &count_ops, &stalls, 0444);
MODULE_PARM_DESC(stalls, "The stalls begun so far");
module_param_cb(timeouts, &count_ops, &timeouts, 0444);
MODULE_PARM_DESC(timeouts, "The stalls that ended at delay_ms, unreleased");

/*
 * At the entry of down_read(), regs->sp points at the return address:
 * the caller. Only the test's thread pays for the symbol lookup.
 */
static int down_read_hit(struct kprobe *p, struct pt_regs *regs)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long caller;
	unsigned int ms;

	if (!READ_ONCE(arm) || strcmp(current->comm, ALRACE_COMM))
		return 0;
	caller = *(unsigned long *)kernel_stack_pointer(regs);
	sprint_symbol_no_offset(sym, caller);
	if (strcmp(sym, ALRACE_CALLER) || !xchg(&arm, false))
		return 0;
	WRITE_ONCE(release, false);
	atomic_inc(&stalls);
	for (ms = 0; ms < READ_ONCE(delay_ms) && !READ_ONCE(release); ms++)
		mdelay(1);
	if (!READ_ONCE(release))
		atomic_inc(&timeouts);
	return 0;
}

static struct kprobe alrace_kp = {
	.symbol_name = "down_read",
	.pre_handler = down_read_hit,
};

static int __init alrace_init(void)
{
	int err = register_kprobe(&alrace_kp);

	if (err)
		pr_err("alrace: kprobe on down_read: %d\n", err);
	return err;
}

static void __exit alrace_exit(void)
{
	unregister_kprobe(&alrace_kp);
}

module_init(alrace_init);
module_exit(alrace_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("anonlazy test: stall a lazy rmap walk before its lock, on demand");
