/* The options that make a report the partnership's (--organization, --logo,
 * --title, --date, --notes, --omit), shared by report and compare. */
#include <stdio.h>
#include <string.h>

#include "session.h"

static const struct {
	const char *name;
	unsigned int bit;
} sections[] = {
	{ "partners", CTM_REPORT_OMIT_PARTNERS }, { "roles", CTM_REPORT_OMIT_ROLES },
	{ "questions", CTM_REPORT_OMIT_QUESTIONS }, { "comments", CTM_REPORT_OMIT_COMMENTS },
	{ "method", CTM_REPORT_OMIT_METHOD },
};

/* The names of the allowed sections, "a, b or c", into buf. */
static void allowed_list(unsigned int allowed, char *buf, size_t size)
{
	size_t k = 0, total = 0, len = 0;

	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		total += (allowed & sections[i].bit) != 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (!(allowed & sections[i].bit))
			continue;
		const char *sep = k == 0 ? "" : k + 1 == total ? " or " : ", ";
		int w = snprintf(buf + len, size - len, "%s%s", sep, sections[i].name);
		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
		k++;
	}
}

/* "a,b" into *mask: EXIT_DONE, or EXIT_USAGE said with the allowed list. */
static int parse_omit(const char *list, unsigned int allowed, unsigned int *mask,
		      const char *command)
{
	char names[128];

	allowed_list(allowed, names, sizeof(names));
	for (const char *p = list;;) {
		size_t n = strcspn(p, ",");
		size_t a = 0, b = n;
		while (a < b && (p[a] == ' ' || p[a] == '\t'))
			a++;
		while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
			b--;
		unsigned int bit = 0;
		for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
			if (b - a == strlen(sections[i].name) &&
			    strncmp(p + a, sections[i].name, b - a) == 0)
				bit = sections[i].bit;
		if (!(bit & allowed)) {
			fprintf(stderr,
				"continuum %s: --omit takes sections separated by commas: %s; "
				"'%.*s' is not one\n",
				command, names, (int)(b - a), p + a);
			return EXIT_USAGE;
		}
		*mask |= bit;
		if (!p[n])
			break;
		p += n + 1;
	}
	return EXIT_DONE;
}

int cli_report_options(cli_args *args, ctm_report_options *ro, unsigned int omit_allowed,
		       const char *command)
{
	cli_option *o;

	if ((o = cli_find(args, "organization")) && o->value)
		ro->organization = o->value;
	if ((o = cli_find(args, "title")) && o->value)
		ro->title = o->value;
	if ((o = cli_find(args, "date")) && o->value)
		ro->date = o->value;
	if ((o = cli_find(args, "logo")) && o->value)
		ro->logo = o->value;
	if ((o = cli_find(args, "notes")) && o->value)
		ro->notes = o->value;
	if ((o = cli_find(args, "omit")) && o->value &&
	    parse_omit(o->value, omit_allowed, &ro->omit, command) != EXIT_DONE)
		return EXIT_USAGE;
	ctm_report_options date_only = CTM_REPORT_OPTIONS_INIT;
	date_only.date = ro->date;
	if (ro->date && ctm_report_options_check(&date_only, NULL) == CTM_EUSAGE) {
		fprintf(stderr,
			"continuum %s: --date is a day written YYYY-MM-DD (e.g. 2026-03-31), "
			"not '%s'\n",
			command, ro->date);
		return EXIT_USAGE;
	}
	/* the logo and the notes are read now: a batch fails before it begins */
	ctm_ctx *ctx = ctm_ctx_new();
	if (!ctx) {
		fprintf(stderr, "continuum: out of memory\n");
		return EXIT_INVALID;
	}
	int rc = ctm_report_options_check(ro, ctx);
	cli_print_diags(ctx);
	ctm_ctx_free(ctx);
	if (rc == CTM_ENOMEM)
		fprintf(stderr, "continuum: out of memory\n");
	return rc == CTM_EUSAGE ? EXIT_USAGE : cli_exit_status(rc);
}
