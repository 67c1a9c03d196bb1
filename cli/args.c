#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

cli_option *cli_find(cli_args *args, const char *long_name)
{
	for (size_t i = 0; i < args->option_count; i++)
		if (strcmp(args->options[i].long_name, long_name) == 0)
			return &args->options[i];
	return NULL;
}

const char *cli_value_at(const cli_args *args, const char *long_name, size_t i)
{
	for (size_t k = 0; k < args->value_count; k++)
		if (strcmp(args->values[k].option->long_name, long_name) == 0 && i-- == 0)
			return args->values[k].value;
	return NULL;
}

static cli_option *find_short(cli_args *args, char c)
{
	for (size_t i = 0; i < args->option_count; i++)
		if (args->options[i].short_name == c)
			return &args->options[i];
	return NULL;
}

int cli_parse(cli_args *args, int argc, char **argv, const char *command)
{
	int only_positional = 0;

	args->positional_count = 0;
	args->value_count = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		cli_option *opt = NULL;
		const char *inline_value = NULL;

		if (only_positional || a[0] != '-' || strcmp(a, "-") == 0) {
			args->positional[args->positional_count++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_positional = 1;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
			for (size_t k = 0; k < args->option_count; k++) {
				if (strlen(args->options[k].long_name) == n &&
				    strncmp(args->options[k].long_name, a + 2, n) == 0)
					opt = &args->options[k];
			}
			if (eq)
				inline_value = eq + 1;
		} else if (a[2] == '\0') {
			opt = find_short(args, a[1]);
		} else {
			opt = find_short(args, a[1]);
			if (opt && opt->takes_value)
				inline_value = a + 2;
			else
				opt = NULL;
		}
		if (!opt) {
			fprintf(stderr,
				"continuum %s: unknown option '%s'\n"
				"Try 'continuum %s --help'.\n",
				command, a, command);
			return EXIT_USAGE;
		}
		opt->seen++;
		if (!opt->takes_value) {
			if (inline_value) {
				fprintf(stderr, "continuum %s: option '--%s' takes no value\n",
					command, opt->long_name);
				return EXIT_USAGE;
			}
			continue;
		}
		if (inline_value) {
			opt->value = inline_value;
		} else if (i + 1 < argc) {
			opt->value = argv[++i];
		} else {
			fprintf(stderr, "continuum %s: option '%s' needs a value\n", command, a);
			return EXIT_USAGE;
		}
		if (args->value_count == CLI_MAX_VALUES) {
			fprintf(stderr, "continuum %s: more than %d option values given\n",
				command, CLI_MAX_VALUES);
			return EXIT_USAGE;
		}
		args->values[args->value_count++] = (cli_value){ opt, opt->value };
	}
	return EXIT_DONE;
}

static void print_diag(const ctm_diag *d)
{
	char line[4096];
	size_t need = ctm_diag_format(d, line, sizeof(line));

	if (need < sizeof(line)) {
		fprintf(stderr, "%s\n", line);
		return;
	}
	char *big = malloc(need + 1);
	if (big) {
		ctm_diag_format(d, big, need + 1);
		fprintf(stderr, "%s\n", big);
		free(big);
	} else {
		fprintf(stderr, "%s...\n", line);
	}
}

/* Says "N more WHATs" after the `said` parts already said, ", " or (for the
 * last part) " and " between; nothing when n is 0. Returns the parts said. */
static int say_more(size_t n, const char *what, int said, int last)
{
	if (!n)
		return said;
	fprintf(stderr, "%s%zu more %s%s", said ? (last ? " and " : ", ") : "", n, what,
		n == 1 ? "" : "s");
	return said + 1;
}

void cli_print_diags(const ctm_ctx *ctx)
{
	size_t n = ctm_ctx_count(ctx), kept_errors = 0, kept_warnings = 0, folded = 0;

	/* every error first, in the order reported; then warnings and notes */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const ctm_diag *d = ctm_ctx_get(ctx, i);
			if ((d->severity == CTM_SEV_ERROR) != (pass == 0))
				continue;
			print_diag(d);
			if (d->severity == CTM_SEV_ERROR)
				kept_errors++;
			else if (d->severity == CTM_SEV_WARNING)
				kept_warnings++;
			folded += d->repeats;
		}
	}
	size_t dropped = ctm_ctx_dropped_count(ctx);
	if (!dropped)
		return;
	/* errors are never folded; warnings are kept, folded or dropped */
	size_t errors = ctm_ctx_error_count(ctx), warnings = ctm_ctx_warning_count(ctx);
	size_t more_errors = errors - kept_errors;
	size_t more_warnings = warnings - kept_warnings - folded;
	size_t more_notes = dropped > more_errors + more_warnings
				  ? dropped - more_errors - more_warnings
				  : 0;
	int said = 0;
	fputs("continuum: ", stderr);
	said = say_more(more_errors, "error", said, !more_warnings && !more_notes);
	said = say_more(more_warnings, "warning", said, !more_notes);
	say_more(more_notes, "note", said, 1);
	fprintf(stderr, " not shown (%zu error%s in all)\n", errors, errors == 1 ? "" : "s");
}

int cli_exit_status(int rc)
{
	switch (rc) {
	case CTM_OK: return EXIT_DONE;
	case CTM_EWRITE: return EXIT_WRITE;
	case CTM_EUSAGE: return EXIT_USAGE;
	default: return EXIT_INVALID;
	}
}

/* "-r service-coordination" names a shipped rubric: look for it where the
 * rubrics are installed, then in the source tree the tool was built from. */
static const char *find_named_rubric(const char *name, char *buf, size_t size)
{
	static const char *const dirs[] = {
#ifdef CTM_RUBRICS_INSTALL_DIR
		CTM_RUBRICS_INSTALL_DIR,
#endif
#ifdef CTM_RUBRICS_SOURCE_DIR
		CTM_RUBRICS_SOURCE_DIR,
#endif
		NULL
	};
	FILE *f;

	if (strchr(name, '/') || (f = fopen(name, "rb")) != NULL) {
		if (!strchr(name, '/'))
			fclose(f);
		return name;
	}
	/* Beside the installed tool first, wherever the prefix was moved to. */
	char exe[4096];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			int n = snprintf(buf, size, "%s/../share/continuum/rubrics/%s%s", exe, name,
					 strstr(name, ".xml") ? "" : ".xml");
			if (n > 0 && (size_t)n < size && (f = fopen(buf, "rb")) != NULL) {
				fclose(f);
				return buf;
			}
		}
	}
	for (size_t i = 0; dirs[i]; i++) {
		int n = snprintf(buf, size, "%s/%s%s", dirs[i], name,
				 strstr(name, ".xml") ? "" : ".xml");
		if (n < 0 || (size_t)n >= size)
			continue;
		if ((f = fopen(buf, "rb")) != NULL) {
			fclose(f);
			return buf;
		}
	}
	return name;
}

int cli_load_rubric(ctm_rubric **out, const char *path, ctm_ctx *ctx)
{
	char found[4096];
	int rc = ctm_rubric_load(out, find_named_rubric(path, found, sizeof(found)), ctx);
	cli_print_diags(ctx);
	ctm_ctx_clear(ctx);
	if (rc == CTM_ENOMEM)
		fprintf(stderr, "continuum: out of memory\n");
	return cli_exit_status(rc);
}
