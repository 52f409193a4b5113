// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/anon_vma_lazy/: stats, probes and reset, all root-only.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "anonlazy_mod.h"

static struct dentry *anonlazy_dir;

static int stats_show(struct seq_file *m, void *v)
{
	u64 val[ANONLAZY_NR_COUNTERS];
	bool any = false;
	int i;

	anonlazy_counters_read(val);
	for (i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		seq_printf(m, ANONLAZY_STATS_FMT, anonlazy_counter_names[i],
			   (unsigned long long)val[i]);
	/* Counters no attached probe feeds: not a 0 but nothing (anonlazy.h). */
	for (i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		if (anonlazy_counter_counted(i))
			continue;
		seq_printf(m, "%s %s", any ? "" : ANONLAZY_STATS_DISABLED,
			   anonlazy_counter_names[i]);
		any = true;
	}
	if (any)
		seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int probes_show(struct seq_file *m, void *v)
{
	anonlazy_probes_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(probes);

static int latency_show(struct seq_file *m, void *v)
{
	anonlazy_latency_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(latency);

static ssize_t reset_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	unsigned int val;

	/* Exactly "1", with or without a trailing newline. */
	if (kstrtouint_from_user(ubuf, count, 10, &val) || val != 1)
		return -EINVAL;
	anonlazy_counters_reset();
	anonlazy_latency_reset();
	return count;
}

static const struct file_operations reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = reset_write,
	.llseek = noop_llseek,
};

int anonlazy_debugfs_init(void)
{
	anonlazy_dir = debugfs_create_dir(ANONLAZY_DEBUGFS_DIR, NULL);
	if (IS_ERR(anonlazy_dir))
		return PTR_ERR(anonlazy_dir);
	debugfs_create_file(ANONLAZY_STATS_FILE, 0400, anonlazy_dir, NULL,
			    &stats_fops);
	debugfs_create_file(ANONLAZY_PROBES_FILE, 0400, anonlazy_dir, NULL,
			    &probes_fops);
	debugfs_create_file(ANONLAZY_RESET_FILE, 0200, anonlazy_dir, NULL,
			    &reset_fops);
	debugfs_create_file(ANONLAZY_LATENCY_FILE, 0400, anonlazy_dir, NULL,
			    &latency_fops);
	anonlazy_census_create(anonlazy_dir);
	return 0;
}

void anonlazy_debugfs_exit(void)
{
	debugfs_remove_recursive(anonlazy_dir);
	anonlazy_dir = NULL;
}
