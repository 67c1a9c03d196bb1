/* Signal handling of the command-line tool. The library writes every output
 * to a temporary and renames it when complete; a signal that stops the run
 * half-way would leave the temporary behind, so the handler removes it (the
 * library keeps their names: ctm_cleanup_temporaries) and re-raises the
 * signal, so that the parent sees "killed by SIGINT" as it expects (a shell
 * stops a script on it; exiting with a code would hide it). */
#include <signal.h>
#include <stddef.h>

#include "continuum/io.h"
#include "signals.h"

static const int handled[] = { SIGINT, SIGTERM, SIGHUP };

static void on_signal(int sig)
{
	ctm_cleanup_temporaries();
	/* SA_RESETHAND has restored the default action; the signal is blocked
	 * while the handler runs, so it is delivered, and fatal, on return. */
	raise(sig);
}

void cli_signals_install(void)
{
	struct sigaction sa, old;

	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		if (sigaction(handled[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		/* Every handled signal blocked while one is handled: one cleanup. */
		for (size_t j = 0; j < sizeof(handled) / sizeof(handled[0]); j++)
			sigaddset(&sa.sa_mask, handled[j]);
		sa.sa_flags = SA_RESETHAND;
		sigaction(handled[i], &sa, NULL);
	}
}
