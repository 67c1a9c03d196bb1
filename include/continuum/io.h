/*
 * continuum — outputs and interruption.
 *
 * Every file the library writes goes to a temporary in the destination's
 * directory (".NAME.tmpXXXXXX") and is renamed over the destination only when
 * complete, so a failed run never leaves a half-written file. Files written
 * together (ctm_comparison_save, ctm_template_save) are replaced as a set:
 * while the set is being renamed into place, each destination's previous
 * file is kept as a hard link (".NAME.bakXXXXXX") until all are in place.
 * While such temporaries exist, the library remembers them, so that a
 * program stopped by a signal can put things right before it dies.
 */
#ifndef CONTINUUM_IO_H
#define CONTINUUM_IO_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Removes every temporary output file the library has open at this moment
 * (the files are left open; the process is expected to end), and puts back
 * the previous files of a set whose replacement had not finished, so that
 * the set is as it was. Nothing else is touched: complete outputs already
 * renamed into place stay.
 *
 * Async-signal-safe: it takes no lock, allocates nothing and calls only
 * unlink(2) and rename(2), so a SIGINT or SIGTERM handler may call it and
 * then re-raise the signal with its default action. At most
 * CTM_MAX_TEMPORARIES names (temporaries, and while a set is being renamed
 * its backups and new files) are tracked at once, over all threads; a file
 * beyond that is still written, but this function does not know of it. Safe
 * to call at any time, from any thread, also when no temporary exists.
 */
CTM_EXTERN(void) ctm_cleanup_temporaries(void);

/** How many files (temporaries, and a set's backups and new files)
 * ctm_cleanup_temporaries can know of at once. */
#define CTM_MAX_TEMPORARIES 64

#ifdef __cplusplus
}
#endif

#endif
