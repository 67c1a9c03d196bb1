/* Help texts; the man page (continuum.1) says the same. */
#ifndef CTM_CLI_HELP_H
#define CTM_CLI_HELP_H

extern const char cli_help_main[];
/* The help of one subcommand, or NULL. */
const char *cli_help_for(const char *command);

#endif
