#include <string.h>

#include "help.h"

const char cli_help_main[] =
	"Usage: continuum COMMAND [OPTIONS] ...\n"
	"Where a partnership of agencies stands on the continuum from working alone\n"
	"to working as one integrated system.\n"
	"\n"
	"Commands:\n"
	"  validate RUBRIC [RESPONSES...]   check a rubric (and responses) without scoring\n"
	"  score    -r RUBRIC RESPONSES...  score responses: a tidy CSV or JSON table\n"
	"  report   -r RUBRIC RESPONSES...  write PDF readiness reports, one per group\n"
	"  compare  -r RUBRIC RESPONSES...  compare regions over survey waves\n"
	"  template -r RUBRIC -o PREFIX     write a blank survey (CSV header and PDF)\n"
	"\n"
	"Options:\n"
	"  -h, --help      show this help, or 'continuum COMMAND --help' for one command\n"
	"  -V, --version   show the version\n"
	"\n"
	"Exit status: 0 done, 1 invalid input, 2 usage, 3 cannot write output.\n";

static const char help_validate[] =
	"Usage: continuum validate RUBRIC [RESPONSES...]\n"
	"Check a rubric against the schema and the rules of the format, and, when\n"
	"response files are given, check every cell of them against the rubric.\n"
	"Nothing is scored and nothing is written. Every problem is reported as\n"
	"FILE:LINE[:COLUMN]: error: MESSAGE.\n"
	"\n"
	"Options:\n"
	"  --map FILE      rename survey columns (CSV with header 'header,id')\n"
	"  -h, --help      show this help\n"
	"\n"
	"Exit status: 0 valid, 1 invalid input, 2 usage.\n";

typedef struct help_entry {
	const char *command;
	const char *text;
} help_entry;

static const help_entry entries[] = {
	{ "validate", help_validate },
};

const char *cli_help_for(const char *command)
{
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (strcmp(entries[i].command, command) == 0)
			return entries[i].text;
	return NULL;
}
