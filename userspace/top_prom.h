/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-top --prometheus: the Prometheus text exposition format
 * (version 0.0.4), for node_exporter's textfile collector. Counters are
 * anonlazy_<name>_total (TYPE counter, HELP the header's description);
 * census and slab figures are gauges.
 */
#ifndef ANONLAZY_TOP_PROM_H
#define ANONLAZY_TOP_PROM_H

#include <stdio.h>

#include "top_view.h"

void top_render_prom(FILE *out, const struct top_frame *f);

#endif /* ANONLAZY_TOP_PROM_H */
