/* continuum report -r RUBRIC [options] RESPONSES... -o DIR
 * continuum report -r RUBRIC [options] RESPONSES... --group region=R,wave=W -o FILE.pdf */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "name_set.h"
#include "session.h"

/* Splits "region=R,wave=W" (either order). The region may itself hold
 * commas, so the split is at the last ",wave=" (or ",region="). Returns 0, or
 * prints a usage error and returns -1. The strings point into a copy the
 * caller frees (*buf). */
static int parse_group(const char *spec, char **buf, const char **region, const char **wave)
{
	char *s = strdup(spec), *sep;

	*buf = s;
	if (!s) {
		fprintf(stderr, "continuum: out of memory\n");
		return -1;
	}
	if (strncmp(s, "region=", 7) == 0 && (sep = strstr(s, ",wave="))) {
		char *next;
		while ((next = strstr(sep + 1, ",wave=")))
			sep = next;
		*sep = '\0';
		*region = s + 7;
		*wave = sep + 6;
		return 0;
	}
	if (strncmp(s, "wave=", 5) == 0 && (sep = strstr(s, ",region="))) {
		*sep = '\0';
		*wave = s + 5;
		*region = sep + 8;
		return 0;
	}
	fprintf(stderr, "continuum report: --group is 'region=R,wave=W', not '%s'\n", spec);
	return -1;
}


/* mkdir -p; 0 or -1 with errno. *created is set when the last part was made. */
static int make_dirs(const char *dir, int *created)
{
	char *p = strdup(dir);
	int rc = 0;

	*created = 0;
	if (!p)
		return -1;
	for (char *s = p + 1; *s && rc == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0) {
		if (mkdir(p, 0777) == 0)
			*created = 1;
		else if (errno != EEXIST)
			rc = -1;
	}
	free(p);
	if (rc == 0) {
		struct stat st;
		if (stat(dir, &st) != 0)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
	}
	return rc;
}

static char *join_path(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	if (a && dir[a - 1] != '/')
		p[a++] = '/';
	memcpy(p + a, name, b + 1);
	return p;
}

/* A name already given to an earlier group gets "-2", "-3"... before ".pdf",
 * so that two regions that sanitise alike ("a/b", "a-b") both get a file.
 * `taken` holds every name given so far; `bases` the next suffix to try
 * for each base name, so that m groups of one name cost O(m), not O(m^2).
 * Returns 0, or -1 when out of memory or out of suffixes. */
static int unique_name(cli_name_set *taken, cli_name_set *bases, char *name)
{
	char base[CTM_REPORT_FILE_NAME_MAX];
	size_t len = strlen(name);
	int added;

	memcpy(base, name, len - 4);
	base[len - 4] = '\0';
	cli_name_slot *b = cli_name_set_get(bases, base, &added);
	if (!b)
		return -1;
	for (unsigned k = b->next ? b->next : 1; k < 100000; k++) {
		if (k > 1)
			snprintf(name, 2 * CTM_REPORT_FILE_NAME_MAX, "%s-%u.pdf", base, k);
		if (!cli_name_set_get(taken, name, &added))
			return -1;
		if (added) {
			/* the names below k are all taken now: never tried again */
			b->next = k + 1;
			return 0;
		}
	}
	return -1;
}

static int write_one(cli_session *s, const ctm_group *g, const char *path,
		     const ctm_report_options *ro, cli_args *args)
{
	int status;

	if ((status = cli_check_output_not_input(path, args, "report")) != EXIT_DONE)
		return status;
	int rc = ctm_report_write(s->results, g, path, ro, s->ctx);
	cli_print_diags(s->ctx);
	ctm_ctx_clear(s->ctx);
	if (rc == CTM_ENOMEM)
		fprintf(stderr, "continuum: out of memory\n");
	return cli_exit_status(rc);
}

/* Reports are written by a few threads, one ctm_ctx each: the results are
 * only read, and most of a report's time is the fsync of its file. */
typedef struct batch {
	pthread_mutex_t lock;
	cli_session *s;
	const ctm_report_options *ro;
	char **paths;
	char (*names)[2 * CTM_REPORT_FILE_NAME_MAX];
	size_t n, next, written;
	unsigned char *failed; /* per group: its report was not written */
	int status;            /* the first failure's exit status */
	int stop;              /* out of memory: no use trying the others */
	int progress;
} batch;

static void *batch_worker(void *arg)
{
	batch *b = arg;
	ctm_ctx *ctx = ctm_ctx_new();

	for (;;) {
		size_t i;
		pthread_mutex_lock(&b->lock);
		if (!ctx && !b->stop) {
			fprintf(stderr, "continuum: out of memory\n");
			b->status = EXIT_INVALID;
			b->stop = 1;
		}
		i = b->next++;
		/* one group's failure does not stop the others */
		if (b->stop || i >= b->n) {
			pthread_mutex_unlock(&b->lock);
			break;
		}
		pthread_mutex_unlock(&b->lock);
		int rc = ctm_report_write(b->s->results, ctm_results_group(b->s->results, i),
					  b->paths[i], b->ro, ctx);
		pthread_mutex_lock(&b->lock);
		if (b->progress)
			fprintf(stderr, "\rcontinuum report: %zu/%zu %s\033[K", b->written + 1,
				b->n, b->names[i]);
		if (ctm_ctx_count(ctx) > 0) {
			if (b->progress)
				fputc('\n', stderr);
			cli_print_diags(ctx);
		}
		ctm_ctx_clear(ctx);
		if (rc == CTM_OK) {
			b->written++;
		} else {
			b->failed[i] = 1;
			if (rc == CTM_ENOMEM) {
				fprintf(stderr, "continuum: out of memory\n");
				b->stop = 1;
			}
			if (b->status == EXIT_DONE)
				b->status = cli_exit_status(rc);
		}
		pthread_mutex_unlock(&b->lock);
	}
	ctm_ctx_free(ctx);
	return NULL;
}

/* What the command line asks of this run. */
typedef struct report_run {
	const char *output;
	const char *region, *wave; /* --group, or NULL */
	long jobs;
	ctm_report_options ro;
	char *group_buf, *bold; /* owned */
} report_run;

/* The options of report itself (the scoring options are the session's):
 * EXIT_DONE, or a usage or input error already said. */
static int parse_report_options(cli_args *args, report_run *run)
{
	const char *paper = cli_find(args, "paper")->value;
	const char *font = cli_find(args, "font")->value;
	const char *group = cli_find(args, "group")->value;
	const char *jobs_opt = cli_find(args, "jobs")->value;

	run->output = cli_find(args, "output")->value;
	run->jobs = sysconf(_SC_NPROCESSORS_ONLN);
	if (run->jobs < 1)
		run->jobs = 1;
	if (run->jobs > 8)
		run->jobs = 8;
	if (jobs_opt && (run->jobs = cli_positive(jobs_opt, "jobs", "report", 64)) < 0)
		return EXIT_USAGE;
	if (!run->output || !*run->output) {
		fprintf(stderr, "continuum report: an output is required (-o DIR, or -o FILE.pdf "
				"with --group)\n");
		return EXIT_USAGE;
	}
	if (paper) {
		if (strcmp(paper, "letter") == 0)
			run->ro.paper = CTM_PAPER_LETTER;
		else if (strcmp(paper, "a4") != 0) {
			fprintf(stderr, "continuum report: --paper is 'a4' or 'letter', not '%s'\n",
				paper);
			return EXIT_USAGE;
		}
	}
	if (group && parse_group(group, &run->group_buf, &run->region, &run->wave) != 0)
		return EXIT_USAGE;
	if (font) {
		if (access(font, R_OK) != 0) {
			fprintf(stderr, "continuum report: cannot read font '%s': %s\n", font,
				strerror(errno));
			return EXIT_INVALID;
		}
		run->bold = cli_bold_beside(font);
		run->ro.font = font;
		run->ro.font_bold = run->bold;
	}
	int status = cli_report_options(args, &run->ro, CTM_REPORT_OMIT_ALL, "report");
	if (status != EXIT_DONE)
		return status;
	if (group)
		return cli_check_output_not_input(run->output, args, "report");
	return EXIT_DONE;
}

/* --group: the one report, to the file named by -o. */
static int report_group(cli_session *s, const report_run *run, cli_args *args)
{
	const ctm_group *g = ctm_results_find_group(s->results, run->region, run->wave);
	if (!g) {
		fprintf(stderr,
			"continuum report: no group region '%s', wave '%s' in the "
			"responses; nothing written\n",
			run->region, run->wave);
		return EXIT_INVALID;
	}
	int status = write_one(s, g, run->output, &run->ro, args);
	if (status == EXIT_DONE)
		fprintf(stderr, "continuum report: wrote %s\n", run->output);
	return status;
}

/* Every group's file name in the directory, all of them before any file is
 * written, so that clashes and inputs are refused first. */
static int name_reports(const cli_session *s, const char *output, cli_args *args,
			char (*names)[2 * CTM_REPORT_FILE_NAME_MAX], char **paths, size_t n)
{
	cli_name_set taken = { 0 }, bases = { 0 };
	int status = EXIT_DONE;
	for (size_t i = 0; i < n && status == EXIT_DONE; i++) {
		const ctm_group *g = ctm_results_group(s->results, i);
		ctm_report_file_name(ctm_group_region(g), ctm_group_wave(g), names[i],
				     CTM_REPORT_FILE_NAME_MAX);
		if (unique_name(&taken, &bases, names[i]) != 0 ||
		    !(paths[i] = join_path(output, names[i]))) {
			fprintf(stderr, "continuum: out of memory\n");
			status = EXIT_INVALID;
			break;
		}
		status = cli_check_output_not_input(paths[i], args, "report");
	}
	cli_name_set_free(&taken);
	cli_name_set_free(&bases);
	return status;
}

/* The n reports written by run->jobs threads (this one among them). */
static int write_batch(cli_session *s, const report_run *run, char **paths,
		       char (*names)[2 * CTM_REPORT_FILE_NAME_MAX], size_t n, size_t *written)
{
	batch b;
	pthread_t threads[64];
	size_t nthreads = (size_t)run->jobs < n ? (size_t)run->jobs : n, started = 0;

	memset(&b, 0, sizeof(b));
	if (!(b.failed = calloc(n ? n : 1, 1))) {
		fprintf(stderr, "continuum: out of memory\n");
		return EXIT_INVALID;
	}
	b.s = s;
	b.ro = &run->ro;
	b.paths = paths;
	b.names = names;
	b.n = n;
	b.status = EXIT_DONE;
	b.progress = n > 1 && isatty(STDERR_FILENO);
	pthread_mutex_init(&b.lock, NULL);
	for (; started + 1 < nthreads; started++)
		if (pthread_create(&threads[started], NULL, batch_worker, &b) != 0)
			break;
	batch_worker(&b); /* this thread works too */
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	pthread_mutex_destroy(&b.lock);
	*written = b.written;
	if (b.progress)
		fputs(b.status == EXIT_DONE ? "\r\033[K" : "\n", stderr);
	if (b.status == EXIT_DONE) {
		fprintf(stderr, "continuum report: wrote %zu report%s to %s\n", b.written,
			b.written == 1 ? "" : "s", run->output);
	} else {
		/* which were written and which not, so that nobody takes the
		 * directory for complete; a group never tried (out of memory)
		 * counts as not written */
		fprintf(stderr,
			"continuum report: wrote %zu of %zu reports to %s; not written:", b.written,
			n, run->output);
		size_t listed = 0;
		for (size_t i = 0; i < n; i++) {
			if (!b.failed[i] && i < b.next)
				continue;
			if (listed++ == 20) {
				fputs(" ...", stderr);
				break;
			}
			fprintf(stderr, " %s", names[i]);
		}
		fputc('\n', stderr);
	}
	free(b.failed);
	return b.status;
}

int cmd_report(int argc, char **argv)
{
	cli_option options[] = { CLI_SCORING_OPTIONS,
				 { "paper", 0, 1, NULL, 0 },
				 { "font", 0, 1, NULL, 0 },
				 { "group", 0, 1, NULL, 0 },
				 { "jobs", 'j', 1, NULL, 0 },
				 CLI_REPORT_OPTIONS };
	const char *positional[argc > 0 ? argc : 1];
	cli_args args = { .options = options,
			  .option_count = sizeof(options) / sizeof(options[0]),
			  .positional = positional };
	report_run run = { .ro = CTM_REPORT_OPTIONS_INIT };
	cli_session s;
	char **paths = NULL;
	char(*names)[2 * CTM_REPORT_FILE_NAME_MAX] = NULL;
	int status, created = 0;
	size_t n = 0, written = 0;

	memset(&s, 0, sizeof(s));
	status = cli_parse(&args, argc, argv, "report");
	if (status != EXIT_DONE)
		return status;
	if ((status = parse_report_options(&args, &run)) != EXIT_DONE ||
	    (status = cli_session_run(&s, &args, "report")) != EXIT_DONE)
		goto cleanup;
	/* the session's audit for every report's data-quality page */
	run.ro.audit = s.audit;
	if (run.region) {
		status = report_group(&s, &run, &args);
		goto cleanup;
	}
	if (make_dirs(run.output, &created) != 0) {
		fprintf(stderr, "continuum report: cannot create directory '%s': %s\n", run.output,
			strerror(errno));
		status = EXIT_WRITE;
		goto cleanup;
	}
	n = ctm_results_group_count(s.results);
	if (!(names = calloc(n ? n : 1, sizeof(*names))) ||
	    !(paths = calloc(n ? n : 1, sizeof(*paths)))) {
		fprintf(stderr, "continuum: out of memory\n");
		status = EXIT_INVALID;
		goto cleanup;
	}
	if ((status = name_reports(&s, run.output, &args, names, paths, n)) != EXIT_DONE)
		goto cleanup;
	status = write_batch(&s, &run, paths, names, n, &written);

cleanup:
	/* A directory this run made and left empty is taken back. */
	if (status != EXIT_DONE && created && written == 0)
		rmdir(run.output);
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
	free(names);
	free(run.bold);
	free(run.group_buf);
	cli_session_free(&s);
	return status;
}
