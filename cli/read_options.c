/* The options of reading responses, shared by validate, score, report and
 * compare: --lenient, --map, --recode, --redcap-dictionary, --set,
 * --keep-incomplete, --duplicates, --delimiter, --encoding, --sheet, --aliases,
 * --exclude. */
#include <string.h>
#include <strings.h>

#include "cli.h"

/* --set NAME=VALUE: the constant it sets, or NULL when NAME is none. */
static const char **constant_slot(ctm_read_options *ropts, const char *name, size_t len)
{
	if (len == 6 && memcmp(name, "region", 6) == 0)
		return &ropts->set_region;
	if (len == 4 && memcmp(name, "wave", 4) == 0)
		return &ropts->set_wave;
	if (len == 7 && memcmp(name, "partner", 7) == 0)
		return &ropts->set_partner;
	if (len == 4 && memcmp(name, "role", 4) == 0)
		return &ropts->set_role;
	return NULL;
}

static int read_sets(const cli_args *args, ctm_read_options *ropts, const char *command)
{
	const char *v;
	for (size_t i = 0; (v = cli_value_at(args, "set", i)) != NULL; i++) {
		const char *eq = strchr(v, '=');
		const char **slot = eq ? constant_slot(ropts, v, (size_t)(eq - v)) : NULL;
		if (!slot) {
			fprintf(stderr,
				"continuum %s: --set takes NAME=VALUE, NAME one of region, wave, "
				"partner, role (e.g. --set 'region=North Coast'), not '%s'\n",
				command, v);
			return EXIT_USAGE;
		}
		if (*slot) {
			fprintf(stderr, "continuum %s: --set %.*s is given twice\n", command,
				(int)(eq - v), v);
			return EXIT_USAGE;
		}
		if (eq[1] == '\0') {
			fprintf(stderr, "continuum %s: --set %.*s= needs a value\n", command,
				(int)(eq - v), v);
			return EXIT_USAGE;
		}
		*slot = eq + 1;
	}
	return EXIT_DONE;
}

int cli_read_options(cli_args *args, ctm_read_options *ropts, const char *command)
{
	cli_option *o;

	ropts->lenient = (o = cli_find(args, "lenient")) && o->seen;
	ropts->keep_incomplete = (o = cli_find(args, "keep-incomplete")) && o->seen;
	if ((o = cli_find(args, "map")))
		ropts->map_path = o->value;
	if ((o = cli_find(args, "recode")))
		ropts->recode_path = o->value;
	if ((o = cli_find(args, "redcap-dictionary")))
		ropts->redcap_dictionary_path = o->value;
	if ((o = cli_find(args, "sheet")))
		ropts->sheet = o->value;
	if ((o = cli_find(args, "aliases")))
		ropts->aliases_path = o->value;
	if ((o = cli_find(args, "exclude")))
		ropts->exclude_path = o->value;
	if (read_sets(args, ropts, command) != EXIT_DONE)
		return EXIT_USAGE;
	if ((o = cli_find(args, "duplicates")) && o->value) {
		if (strcmp(o->value, "error") == 0)
			ropts->duplicates = CTM_DUPLICATES_ERROR;
		else if (strcmp(o->value, "first") == 0)
			ropts->duplicates = CTM_DUPLICATES_FIRST;
		else if (strcmp(o->value, "last") == 0)
			ropts->duplicates = CTM_DUPLICATES_LAST;
		else {
			fprintf(stderr,
				"continuum %s: --duplicates is 'error', 'first' or 'last', not "
				"'%s'\n",
				command, o->value);
			return EXIT_USAGE;
		}
	}
	if ((o = cli_find(args, "delimiter")) && o->value) {
		const char *v = o->value;
		if (strcmp(v, ",") == 0 || strcmp(v, "comma") == 0)
			ropts->delimiter = ',';
		else if (strcmp(v, ";") == 0 || strcmp(v, "semicolon") == 0)
			ropts->delimiter = ';';
		else if (strcmp(v, "\t") == 0 || strcmp(v, "\\t") == 0 || strcmp(v, "tab") == 0)
			ropts->delimiter = '\t';
		else {
			fprintf(stderr,
				"continuum %s: --delimiter is ',', ';' or 'tab' (also 'comma', "
				"'semicolon'), not '%s'\n",
				command, v);
			return EXIT_USAGE;
		}
	}
	if ((o = cli_find(args, "encoding")) && o->value) {
		const char *v = o->value;
		if (strcasecmp(v, "utf-8") == 0 || strcasecmp(v, "utf8") == 0)
			ropts->encoding = "utf-8";
		else if (strcasecmp(v, "windows-1252") == 0 || strcasecmp(v, "cp1252") == 0)
			ropts->encoding = "windows-1252";
		else {
			fprintf(stderr,
				"continuum %s: --encoding is 'utf-8' or 'windows-1252', not '%s' "
				"(UTF-16 with a byte order mark is found by itself)\n",
				command, v);
			return EXIT_USAGE;
		}
	}
	return EXIT_DONE;
}
