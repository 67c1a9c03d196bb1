#include <string.h>

#include "continuum/compare.h"
#include "help.h"

/* A constant of the library as it is written in its definition. */
#define SPELL_(x) #x
#define SPELL(x) SPELL_(x)

/*
 * Pieces several texts share, joined by string-literal concatenation so that
 * each text is still one constant. The man page (man/continuum.1) documents
 * every option listed here; tests/cli/manpage.sh checks that it does.
 */
#define HELP_RUBRIC "  -r, --rubric FILE          the rubric (XML), or a shipped rubric's name\n"
#define HELP_RESPONSES "RESPONSES are CSV files, read as one data set ('-' is standard input).\n"
#define HELP_AGGREGATE_TARGETS \
	"      --aggregate partner|respondent\n" \
	"                             the unit of analysis (default: the rubric's)\n" \
	"      --target N             target level for every dimension and the stage\n" \
	"      --targets FILE         per-dimension targets: CSV dimension,target[,region]\n" \
	"      --min-n N              smallest role cell shown (default: the rubric's),\n" \
	"                             and the fewest respondents of a partner shown\n" \
	"                             one by one\n" \
	"      --show-partners        show every partner one by one, also those with\n" \
	"                             fewer than min-n respondents\n"
#define HELP_LENIENT_MAP \
	"      --lenient              treat invalid cells as missing and go on, counting\n" \
	"                             each exclusion with its reason\n" \
	"      --map FILE             rename survey columns: CSV with header 'header,id'\n" \
	HELP_EXPORTS
#define HELP_EXPORTS \
	"      --recode FILE          what answer codes stand for: CSV 'item,from,to'\n" \
	"                             (item an id or '*'; an empty 'to' is missing)\n" \
	"      --redcap-dictionary FILE\n" \
	"                             a REDCap data dictionary: codes read as labels\n" \
	"      --set NAME=VALUE       a constant region, wave, partner or role for an\n" \
	"                             export without that column (repeatable)\n" \
	"      --keep-incomplete      read unfinished, test and preview responses too\n" \
	"      --duplicates error|first|last\n" \
	"                             a respondent id twice in a group: an error\n" \
	"                             (default), or keep the first or the last row\n" \
	"      --delimiter ,|;|tab    the field delimiter (default: found from the header)\n" \
	"      --encoding utf-8|windows-1252\n" \
	"                             the text encoding (UTF-16 with a BOM is found)\n" \
	"      --sheet NAME           the sheet of an Excel workbook (.xlsx) to read\n" \
	"                             (default: the first)\n" \
	"      --aliases FILE         names that are one: CSV 'column,from,to'\n" \
	"                             (e.g. partner,Dept. of Health,Department of Health)\n" \
	"      --exclude FILE         rows to leave out: CSV 'column,value' (e.g.\n" \
	"                             partner,test)\n"
#define HELP_HELP "  -h, --help                 show this help\n"
#define HELP_EXIT_STATUS "Exit status: 0 done, 1 invalid input, 2 usage, 3 cannot write output.\n"

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
	"  audit    -r RUBRIC RESPONSES...  data quality: what may move a result unnoticed\n"
	"\n"
	"Options:\n"
	"  -h, --help      show this help, or 'continuum COMMAND --help' for one command\n"
	"  -V, --version   show the version\n"
	"\n" HELP_EXIT_STATUS;

static const char help_validate[] =
	"Usage: continuum validate RUBRIC [RESPONSES...]\n"
	"Check a rubric against the schema and the rules of the format, and, when\n"
	"response files are given, check every cell of them against the rubric.\n"
	"Nothing is scored and nothing is written. Every problem is reported as\n"
	"FILE:LINE[:COLUMN]: error: MESSAGE. The files are read as one data set, as\n"
	"score reads them; when they are valid, each is listed with its rows:\n"
	"FILE: N rows, G groups, valid (several files: a line each, then the total).\n"
	"RUBRIC is an XML file or a shipped rubric's name; '-' as RESPONSES is\n"
	"standard input.\n"
	"\n"
	"Options:\n"
	"      --lenient              accept invalid cells and rows as score --lenient\n"
	"                             would, listing what would be left out and why\n"
	"      --map FILE             rename survey columns (CSV with header 'header,id')\n"
	HELP_EXPORTS "  -h, --help                 show this help\n"
	"\n"
	"Exit status: 0 valid, 1 invalid input, 2 usage.\n";

static const char help_score[] =
	"Usage: continuum score -r RUBRIC [OPTIONS] RESPONSES... [-o FILE]\n"
	"Score survey responses against a rubric and write one tidy table:\n"
	"region,wave,kind,id,n,mean,sd,median,ci_low,ci_high,rwg,level,target,gap\n"
	"with a row per dimension, question, level and the overall stage of every\n"
	"group (region, wave). Written to standard output without -o.\n" HELP_RESPONSES "\n"
	"Options:\n" HELP_RUBRIC
	"  -o, --output FILE          write here (atomically) instead of standard output\n"
	"      --format csv|json      the table as CSV (default), or JSON with the same\n"
	"                             numbers plus priorities, flags, next steps,\n"
	"                             blocking questions and exclusions\n"
	"  -j, --jobs N               threads reading a file of 8 MiB or more: 1, or 2\n"
	"                             (default: 2 with two processors or "
	"more)\n" HELP_AGGREGATE_TARGETS HELP_LENIENT_MAP HELP_HELP "\n" HELP_EXIT_STATUS;

/* report's and compare's options that make it the partnership's */
#define HELP_PARTNERSHIP \
	"      --organization NAME    the partnership's name: cover, header, PDF author\n" \
	"      --title TEXT           the report's title (default: Readiness report)\n" \
	"      --date YYYY-MM-DD      the report's date, printed on the cover\n" \
	"      --logo FILE            a PNG or JPEG, scaled into the cover's corner\n" \
	"      --notes FILE           plain UTF-8 text, paragraphs separated by blank\n" \
	"                             lines: the \"Facilitator's summary\" after the cover\n"

static const char help_report[] =
	"Usage: continuum report -r RUBRIC [OPTIONS] RESPONSES... -o DIR\n"
	"       continuum report -r RUBRIC [OPTIONS] RESPONSES... --group region=R,wave=W\n"
	"                        -o FILE.pdf\n"
	"Write a PDF readiness report per group (region, wave) into DIR, created if\n"
	"missing, as REGION_WAVE.pdf (characters other than letters, digits, '-' and\n"
	"'.' become '-'), or the report of one group into FILE.pdf. A report has a\n"
	"cover, a summary, the change since the region's previous wave (when the data\n"
	"has one), each dimension in detail, the gap analysis, the diagnostic\n"
	"questions, the factors, the partners side by side, what the partners said\n"
	"(the rubric's open-text prompts), and the method and data quality.\n"
	"Files are written atomically; the same inputs give the same bytes (no date\n"
	"in the PDF unless SOURCE_DATE_EPOCH is set).\n" HELP_RESPONSES "\n";

/* (two strings: one would be longer than C compilers must support) */
static const char help_report_options[] =
	"Options:\n" HELP_RUBRIC
	"  -o, --output DIR|FILE      the directory of reports, or the file with --group\n"
	"      --group region=R,wave=W\n"
	"                             only this group's report\n"
	"      --paper a4|letter      paper size (default a4)\n" HELP_PARTNERSHIP
	"      --font FILE            a TrueType font for the text (default DejaVu Sans);\n"
	"                             its bold face is FILE's name with -Bold, if present\n"
	"      --omit SECTION,...     leave out partners (heat map, divergent partners),\n"
	"                             roles, questions, comments or method\n"
	"  -j, --jobs N               write N reports at a time (default: the processors,\n"
	"                             at most 8); with 1, files are read on one "
	"thread\n" HELP_AGGREGATE_TARGETS HELP_LENIENT_MAP HELP_HELP "\n"
	"Exit status: 0 done, 1 invalid input (or no such group), 2 usage,\n"
	"3 cannot write output.\n";

static const char help_compare[] =
	"Usage: continuum compare -r RUBRIC [OPTIONS] RESPONSES... -o PREFIX\n"
	"Compare regions over survey waves and write three files:\n"
	"  PREFIX.csv          "
	"region,id,from_wave,to_wave,n_from,n_to,from,to,delta,p,significant\n"
	"                      per region and pair of consecutive waves: the stage (M)\n"
	"                      and each dimension's mean, with Welch's t-test (p < " SPELL(
		CTM_COMPARE_ALPHA) "\n"
				   "                      is significant; p below 0.00005 shows as "
				   "0.0000)\n"
				   "  PREFIX-regions.csv  wave,id,regions,units,icc1,icc2: the "
				   "share of variance\n"
				   "                      between regions per wave and dimension\n"
				   "  PREFIX.pdf          stage and M by region and wave, trend "
				   "charts, the\n"
				   "                      significant changes, rankings, ICC and "
				   "the method\n"
				   "All three are written, or none. An output may not overwrite an "
				   "input.\n" HELP_RESPONSES "\n"
				   "Options:\n" HELP_RUBRIC
				   "  -o, --output PREFIX        where to write (PREFIX.csv, "
				   "PREFIX-regions.csv,\n"
				   "                             "
				   "PREFIX.pdf)\n"
				   "      --paper a4|letter      paper size of PREFIX.pdf (default "
				   "a4)\n" HELP_PARTNERSHIP
				   "      --omit method          leave the method out of "
				   "PREFIX.pdf\n" HELP_AGGREGATE_TARGETS HELP_LENIENT_MAP HELP_HELP
				   "\n" HELP_EXIT_STATUS;

static const char help_template[] =
	"Usage: continuum template -r RUBRIC -o PREFIX\n"
	"Write a blank survey for a rubric, two files:\n"
	"  PREFIX.csv   the header a survey file needs: region,wave,partner,respondent,\n"
	"               role, then every dimension id and every question id\n"
	"  PREFIX.pdf   a printable questionnaire: an introduction, lines for region,\n"
	"               wave, organization and role, each dimension's prompt with a\n"
	"               tick box per level (its descriptor), each question with a\n"
	"               tick box per answer\n"
	"Both are written, or neither. Filled rows of PREFIX.csv are read by score,\n"
	"report and compare as they are. A form that copies the questionnaire's\n"
	"wording (Qualtrics, Google Forms, ...) needs no mapping either: headers equal\n"
	"to a prompt or question text, and answers equal to a descriptor, an answer,\n"
	"a level's name or number, are recognized. The rubric may also be given as\n"
	"the one argument: continuum template RUBRIC -o PREFIX.\n"
	"\n"
	"Options:\n"
	"  -r, --rubric FILE          the rubric (XML), or a shipped rubric's name\n"
	"  -o, --output PREFIX        where to write (PREFIX.csv and PREFIX.pdf)\n"
	"      --show-partners        the reports will show every partner one by one\n"
	"                             (report --show-partners): the questionnaire's\n"
	"                             promise says so\n" HELP_HELP "\n"
	"Exit status: 0 done, 1 invalid rubric, 2 usage, 3 cannot write output.\n";

static const char help_audit[] =
	"Usage: continuum audit -r RUBRIC [OPTIONS] RESPONSES... [--format text|json]\n"
	"Check the data before trusting its numbers: a table per group (rows read,\n"
	"partners, respondents per partner, answers per item), what was left out and\n"
	"why, and the findings that can change results: partner or region names near\n"
	"each other (equal but for punctuation, an abbreviation, initials, nearly the\n"
	"same spelling), partners answering in only one wave of a region, waves that\n"
	"look like one date written two ways, rows that look like tests (a name such\n"
	"as test or demo, or every answer the top or bottom one), an input given\n"
	"twice. Fix them with --aliases and --exclude, which every command takes.\n"
	"score, report and compare warn of the findings that can change a number.\n"
	HELP_RESPONSES "\n"
	"Options:\n" HELP_RUBRIC
	"      --format text|json     for people (default) or JSON\n"
	HELP_AGGREGATE_TARGETS HELP_LENIENT_MAP HELP_HELP "\n"
	"Exit status: 0 done (findings or not), 1 invalid input, 2 usage, 3 cannot\n"
	"write output.\n";

typedef struct help_entry {
	const char *command;
	const char *text, *more; /* more: the rest, or "" */
} help_entry;

static const help_entry entries[] = {
	{ "validate", help_validate, "" },
	{ "score", help_score, "" },
	{ "report", help_report, help_report_options },
	{ "compare", help_compare, "" },
	{ "template", help_template, "" },
	{ "audit", help_audit, "" },
};

int cli_help_print(const char *command, FILE *out)
{
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		if (strcmp(entries[i].command, command) == 0) {
			fputs(entries[i].text, out);
			fputs(entries[i].more, out);
			return 1;
		}
	}
	return 0;
}
