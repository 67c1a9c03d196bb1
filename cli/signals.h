/* Interruption: SIGINT, SIGTERM and SIGHUP remove the temporaries of outputs
 * being written, then end the process as the signal would have. */
#ifndef CTM_CLI_SIGNALS_H
#define CTM_CLI_SIGNALS_H

/* Installs the handlers; signals ignored when the tool started (e.g. under
 * nohup) stay ignored. */
void cli_signals_install(void);

#endif
