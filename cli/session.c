#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "progress.h"
#include "session.h"

long cli_positive(const char *value, const char *name, const char *command, long max)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || *end || end == value || v < 1 || v > max) {
		fprintf(stderr, "continuum %s: --%s needs a whole number from 1 to %ld, not '%s'\n",
			command, name, max, value);
		return -1;
	}
	return v;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, b) == 0)
		return 1;
	if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The bold face next to a chosen regular one: "X.ttf" → "X-Bold.ttf" when
 * that file exists, else NULL (the regular face serves as bold). */
char *cli_bold_beside(const char *font)
{
	const char *dot = strrchr(font, '.'), *slash = strrchr(font, '/');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - font) : strlen(font);
	const char *ext = font + stem;
	char *p = malloc(stem + strlen("-Bold") + strlen(ext) + 1);

	if (!p)
		return NULL;
	memcpy(p, font, stem);
	strcpy(p + stem, "-Bold");
	strcat(p, ext);
	if (access(p, R_OK) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

int cli_check_prefix(const char *prefix, const char *command)
{
	size_t len = strlen(prefix);
	struct stat st;

	if ((len && prefix[len - 1] == '/') || (stat(prefix, &st) == 0 && S_ISDIR(st.st_mode))) {
		fprintf(stderr,
			"continuum %s: -o '%s' names a directory, so the outputs would be hidden "
			"files ('.csv', '.pdf'): give a name in it, e.g. -o %s%scomparison\n",
			command, prefix, prefix, len && prefix[len - 1] == '/' ? "" : "/");
		return EXIT_USAGE;
	}
	return EXIT_DONE;
}

int cli_check_output_not_input(const char *output, cli_args *args, const char *command)
{
	enum { NAMED = 11 };
	const char *inputs[NAMED] = { NULL };
	char *bold = NULL;
	int status = EXIT_DONE;
	cli_option *o;
	if ((o = cli_find(args, "rubric")))
		inputs[0] = o->value;
	if ((o = cli_find(args, "targets")))
		inputs[1] = o->value;
	if ((o = cli_find(args, "map")))
		inputs[2] = o->value;
	if ((o = cli_find(args, "recode")))
		inputs[5] = o->value;
	if ((o = cli_find(args, "redcap-dictionary")))
		inputs[6] = o->value;
	if ((o = cli_find(args, "aliases")))
		inputs[7] = o->value;
	if ((o = cli_find(args, "exclude")))
		inputs[8] = o->value;
	if ((o = cli_find(args, "logo")))
		inputs[9] = o->value;
	if ((o = cli_find(args, "notes")))
		inputs[10] = o->value;
	/* a font is read too, and so is the bold face found beside it */
	if ((o = cli_find(args, "font")) && o->value) {
		inputs[3] = o->value;
		inputs[4] = bold = cli_bold_beside(o->value);
	}
	for (size_t i = 0; i < args->positional_count + NAMED && status == EXIT_DONE; i++) {
		const char *in = i < NAMED ? inputs[i] : args->positional[i - NAMED];
		if (in && strcmp(in, "-") != 0 && same_file(output, in)) {
			fprintf(stderr,
				"continuum %s: refusing to write '%s': it is one of the inputs\n",
				command, output);
			status = EXIT_USAGE;
		}
	}
	free(bold);
	return status;
}

void cli_session_free(cli_session *s)
{
	ctm_results_free(s->results);
	ctm_audit_free(s->audit);
	ctm_targets_free(s->targets);
	ctm_dataset_free(s->dataset);
	ctm_rubric_free(s->rubric);
	ctm_ctx_free(s->ctx);
	memset(s, 0, sizeof(*s));
}

/* Prints what ctx holds and forgets it; returns the exit status for rc. */
static int report(cli_session *s, int rc)
{
	cli_print_diags(s->ctx);
	ctm_ctx_clear(s->ctx);
	if (rc == CTM_ENOMEM)
		fprintf(stderr, "continuum: out of memory\n");
	return cli_exit_status(rc);
}

/* Names come from the data: control characters are shown, not sent. */
static void put_escaped(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			fprintf(stderr, "\\x%02X", *p);
		else
			fputc(*p, stderr);
	}
}

/* The audit's findings that can change a number, a line each (an input
 * given twice was said as it was read): the numbers about to be written
 * should not be trusted blindly. At most a screenful. */
static void warn_findings(const cli_session *s)
{
	enum { SHOWN = 20 };
	const ctm_audit *audit = s->audit;
	size_t said = 0, more = 0;
	for (size_t i = 0; i < ctm_audit_finding_count(audit); i++) {
		const ctm_finding *f = ctm_audit_finding(audit, i);
		if (!f->changes_numbers || f->kind == CTM_FINDING_REPEATED_INPUT)
			continue;
		if (said++ >= SHOWN) {
			more++;
			continue;
		}
		fputs("warning: ", stderr);
		if (f->region) {
			fputs("region '", stderr);
			put_escaped(f->region);
			fputs("', wave '", stderr);
			put_escaped(f->wave);
			fputs("': ", stderr);
		}
		put_escaped(f->message);
		fputs(" (see continuum audit)\n", stderr);
	}
	more += ctm_audit_more_test_rows(audit);
	if (more)
		fprintf(stderr, "warning: and %zu more findings like these (see continuum audit)\n",
			more);
}

int cli_session_run(cli_session *s, cli_args *args, const char *command)
{
	ctm_read_options ropts = CTM_READ_OPTIONS_INIT;
	ctm_score_options sopts = CTM_SCORE_OPTIONS_INIT;
	cli_option *o;
	int status, failed = 0;

	memset(s, 0, sizeof(*s));
	o = cli_find(args, "rubric");
	if (!o || !o->value) {
		fprintf(stderr, "continuum %s: a rubric is required (-r RUBRIC)\n", command);
		return EXIT_USAGE;
	}
	if (args->positional_count == 0) {
		fprintf(stderr, "continuum %s: no response files given\n", command);
		return EXIT_USAGE;
	}
	if ((o = cli_find(args, "aggregate")) && o->value) {
		if (strcmp(o->value, "partner") == 0)
			ropts.aggregate = CTM_AGGREGATE_BY_PARTNER;
		else if (strcmp(o->value, "respondent") == 0)
			ropts.aggregate = CTM_AGGREGATE_BY_RESPONDENT;
		else {
			fprintf(stderr,
				"continuum %s: --aggregate is 'partner' or 'respondent', not "
				"'%s'\n",
				command, o->value);
			return EXIT_USAGE;
		}
	}
	if ((o = cli_find(args, "min-n")) && o->value) {
		long v = cli_positive(o->value, "min-n", command, 1000000);
		if (v < 0)
			return EXIT_USAGE;
		sopts.min_n = (int)v;
	}
	sopts.show_partners = (o = cli_find(args, "show-partners")) && o->seen;
	if ((o = cli_find(args, "target")) && o->value) {
		long v = cli_positive(o->value, "target", command, 9);
		if (v < 0)
			return EXIT_USAGE;
		sopts.target = (int)v;
	}
	if ((status = cli_read_options(args, &ropts, command)) != EXIT_DONE)
		return status;

	s->ctx = ctm_ctx_new();
	if (!s->ctx) {
		fprintf(stderr, "continuum: out of memory\n");
		return EXIT_INVALID;
	}
	status = cli_load_rubric(&s->rubric, cli_find(args, "rubric")->value, s->ctx);
	if (status != EXIT_DONE)
		return status;
	if (sopts.target > (int)ctm_rubric_level_count(s->rubric)) {
		fprintf(stderr, "continuum %s: --target %d is not a level of rubric '%s' (1-%zu)\n",
			command, sopts.target, ctm_rubric_id(s->rubric),
			ctm_rubric_level_count(s->rubric));
		return EXIT_USAGE;
	}
	if ((o = cli_find(args, "targets")) && o->value) {
		int rc = ctm_targets_load(&s->targets, o->value, s->rubric, s->ctx);
		if (rc != CTM_OK)
			return report(s, rc);
		sopts.targets = s->targets;
	}
	int rc = ctm_dataset_new(&s->dataset, s->rubric, &ropts, s->ctx);
	if (rc != CTM_OK)
		return report(s, rc);
	/* A large file is read in two halves at once (on a machine with two
	 * processors, or as --jobs says where a command has it). */
	o = cli_find(args, "jobs");
	ctm_dataset_set_threads(s->dataset,
				o && o->value ? (unsigned)strtol(o->value, NULL, 10) : 0);
	/* Every file is read, so that every problem of every file is reported. */
	for (size_t i = 0; i < args->positional_count; i++) {
		char label[64];
		snprintf(label, sizeof(label), "reading %zu/%zu", i + 1, args->positional_count);
		cli_progress *bar = cli_progress_new(label, 0);
		ctm_dataset_set_progress(s->dataset, bar ? cli_progress_callback : NULL, bar);
		rc = ctm_dataset_read_file(s->dataset, args->positional[i], s->ctx);
		ctm_dataset_set_progress(s->dataset, NULL, NULL);
		cli_progress_end(bar);
		if (rc == CTM_ENOMEM)
			return report(s, rc);
		if (rc != CTM_OK)
			failed = 1;
	}
	ctm_dataset_finish(s->dataset, s->ctx);
	cli_print_diags(s->ctx);
	ctm_ctx_clear(s->ctx);
	if (failed)
		return EXIT_INVALID;
	/* one audit of the data: warned of here, written by audit, listed by
	 * each report's method page */
	if ((rc = ctm_audit_run(&s->audit, s->dataset, s->ctx)) != CTM_OK)
		return report(s, rc);
	if (strcmp(command, "audit") != 0)
		warn_findings(s);
	/* only audit writes the findings and report lists them; the others
	 * have warned of them and need no more (~220 bytes a group) */
	if (strcmp(command, "audit") != 0 && strcmp(command, "report") != 0) {
		ctm_audit_free(s->audit);
		s->audit = NULL;
	}
	rc = ctm_score_run(&s->results, s->dataset, &sopts, s->ctx);
	return report(s, rc);
}
