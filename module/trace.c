// SPDX-License-Identifier: GPL-2.0
/* The anon_vma_lazy trace events' definitions (module/trace.h). */
#define CREATE_TRACE_POINTS
#include "trace.h"
