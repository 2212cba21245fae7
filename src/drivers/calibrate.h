/*
 * calibrate.h - colbench calibrate: how often would a regression gate cry
 * wolf on this machine, and what is the smallest slowdown it catches?
 *
 * It makes 2K fresh reports with the given options (sampled as a saved
 * report is: fresh processes, interleaved), pairs them into K A/A
 * comparisons of unchanged code, and judges each as --baseline would at
 * the chosen --threshold: the share of pairs that say `regressed` is the
 * gate's measured false-alarm rate.  Then, for each strategy and worker
 * count, it slows the new side of every pair by s = 0.5%, 1%, 1.5%, ...
 * (every run's time times 1 + s: the machine's real noise, a known
 * slowdown) until at least 95% of the pairs say `regressed`: the smallest
 * slowdown the gate detects 95% of the time.  Its suggested threshold is
 * the smallest whole percent above every A/A interval's upper end, plus
 * one percent to spare.  It also measures the drift (report/compare.h):
 * an A/A pair's log change varies by twice the drift's square plus what
 * the processes' own spread (Moses' interval) explains, so the drift is
 * the square root of half the excess, over the pairs; the largest, rounded
 * up to half a percent, is the suggested --drift.  Its reports are made
 * minutes apart: a baseline of another day may have drifted further.
 * Only pairs that were judged count: a disturbed pair says nothing of the
 * gate's spread, and a suggestion is made only from enough of them.
 */
#ifndef COLBENCH_CALIBRATE_H
#define COLBENCH_CALIBRATE_H

#include "os/status.h"

#define CALIBRATE_POWER 0.95     /* detected in this share of pairs */
#define CALIBRATE_STEP 0.005     /* slowdowns tried: 0.5%, 1%, ... */
#define CALIBRATE_MAX_SLOWDOWN 4 /* ... up to 400% */

/*
 * The evidence a suggestion needs: every strategy and worker count judged
 * (given a verdict, not called inconclusive for other work on the CPUs or a
 * changed machine) in at least half the pairs, and in at least two of them
 * (in the one, under --pairs 1).  With less, calibrate says which result
 * lacked it, suggests nothing, and ends with status 5.
 */
unsigned calibrate_evidence_needed(unsigned pairs);

/* drive_calibrate (driver.h) prints the text or JSON (the plan's format)
 * on stdout; CB_INCONCLUSIVE when the pairs gave too little evidence to
 * suggest anything. */

#endif
