/*
 * startsync.h: create mode's wait for `lxcri start` (one byte into the sync FIFO), the
 * signals that end a container never started, and the signal state the process starts
 * with.
 */
#ifndef LXCRI_STARTSYNC_H
#define LXCRI_STARTSYNC_H

/* Block until `lxcri start` writes a byte into the FIFO; dies on an error. */
void wait_for_start(void);
/* As PID 1 we would ignore them: terminate on HUP, INT, QUIT, USR1, USR2, ALRM, TERM. */
void catch_terminating_signals(void);
/* Empty mask and default dispositions for the process; dies on an error. */
void reset_signals(void);

#endif
