/*
 * keeper.h - this process split in two: the child goes on with the work,
 * and the parent, its keeper, only waits for it, passing on every signal
 * it is sent.
 *
 * Why: for a process whose launcher judges it by how it ends.  Open MPI's
 * mpirun reports the first of its processes to end abnormally: a rank
 * killed by a signal (the OOM killer, a kill -9 on its host) makes mpirun
 * end with 128 + N and a message of its own, whatever the other ranks do
 * after it (measured on Open MPI 4.1.4: a rank on another host SIGKILLed,
 * rank 0 calling MPI_Abort(3) 2 ms later, mpirun's status 137, 3 of 3
 * times).  Its keeper sees the death first, being its parent, and ends
 * with the status its caller chooses, with a line that names the rank,
 * before orted has anything else to report.
 *
 * The child dies with its keeper (PR_SET_PDEATHSIG), so a keeper killed
 * by SIGKILL leaves nothing behind.
 */
#ifndef COLBENCH_KEEPER_H
#define COLBENCH_KEEPER_H

#include <sys/types.h>

struct keeper_end {
	pid_t child;
	int wstatus;   /* waitpid's, for the child */
	int forwarded; /* the first ending signal the keeper passed on, or 0 */
};

/*
 * Fork.  In the child: 0, its signal mask as it was.  In the keeper: 1
 * once the child has ended, *end saying how, its signal mask as it was;
 * every signal sent to the keeper meanwhile was passed on to the child.  -1 (errno set) when the
 * fork failed: no child, and this process goes on alone.
 */
int keeper_split(struct keeper_end *end);

/* End the keeper as its child ended: the same exit status, or death by
 * the same signal. */
_Noreturn void keeper_mirror(const struct keeper_end *end);

#endif
