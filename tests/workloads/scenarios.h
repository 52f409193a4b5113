/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ALWORK_SCENARIOS_H
#define ALWORK_SCENARIOS_H

/* Each returns the process exit status; argv[0] is the scenario name. */
int w_fault(int argc, char **argv);
int w_fork(int argc, char **argv);
int w_split(int argc, char **argv);
int w_mremap(int argc, char **argv);
int w_pageout(int argc, char **argv);
int w_reset(int argc, char **argv);
int w_write(int argc, char **argv);
int w_names(int argc, char **argv);
int w_hold(int argc, char **argv);
int w_latency(int argc, char **argv);
int w_unmap(int argc, char **argv);
int w_forkreuse(int argc, char **argv);
int w_faultmap(int argc, char **argv);
int w_tpmap(int argc, char **argv);
int w_census(int argc, char **argv);
int w_churn(int argc, char **argv);
int w_readloop(int argc, char **argv);
int w_censussnap(int argc, char **argv);
int w_censuscomm(int argc, char **argv);
int w_censustrunc(int argc, char **argv);
int w_censussim(int argc, char **argv);
int w_censusbench(int argc, char **argv);
int w_forkbench(int argc, char **argv);
int w_pageoutbench(int argc, char **argv);
int w_threadfault(int argc, char **argv);
int w_forkstorm(int argc, char **argv);
int w_upgrade(int argc, char **argv);
int w_costbench(int argc, char **argv);
int w_syscallbench(int argc, char **argv);
int w_idlemove(int argc, char **argv);

#endif /* ALWORK_SCENARIOS_H */
