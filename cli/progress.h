/* A progress bar on standard error, drawn only when it is a terminal. */
#ifndef CTM_CLI_PROGRESS_H
#define CTM_CLI_PROGRESS_H

typedef struct cli_progress cli_progress;

/* A new bar for work of `total` units (0: unknown), labelled; NULL (and
 * nothing drawn, ever) when stderr is not a terminal or CI is set. */
cli_progress *cli_progress_new(const char *label, unsigned long long total);
/* Sets how much is done; safe from several threads; redraws at most ~10
 * times a second. Accepts NULL. */
void cli_progress_set(cli_progress *p, unsigned long long done, unsigned long long total);
/* Adds one unit done. Accepts NULL. */
void cli_progress_step(cli_progress *p);
/* Clears the bar's line and frees it. Accepts NULL. */
void cli_progress_end(cli_progress *p);
/* A ctm_progress_fn that forwards to cli_progress_set (user is the bar). */
void cli_progress_callback(void *user, unsigned long long done, unsigned long long total);

#endif
