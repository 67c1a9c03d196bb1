/*
 * Hostile inputs and safe outputs at the library level: what the CLI suites
 * (tests/cli/hostile.sh, signals.sh) cannot reach from outside.
 * - the registry of temporaries behind ctm_cleanup_temporaries;
 * - responses given from memory with bytes a file name or a shell would not
 *   carry (NUL inside the buffer), read without a terminating NUL;
 * - a failed save leaves nothing in the directory.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "atomic.h"
#include "continuum/error.h"
#include "continuum/io.h"
#include "continuum/responses.h"
#include "continuum/rubric.h"
#include "continuum/score.h"

static ctm_ctx *ctx;
static char dir[] = "/tmp/ctm-hostile.XXXXXX";
static int have_dir;

static void setup(void)
{
	ctx = ctm_ctx_new();
	cr_assert_not_null(ctx);
	strcpy(dir, "/tmp/ctm-hostile.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	have_dir = 1;
}

/* Removes the test directory's files (flat) and the directory. */
static void teardown(void)
{
	ctm_ctx_free(ctx);
	ctx = NULL;
	if (have_dir) {
		DIR *d = opendir(dir);
		struct dirent *e;
		char path[512];
		while (d && (e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		if (d)
			closedir(d);
		rmdir(dir);
		have_dir = 0;
	}
}

TestSuite(hostile, .init = setup, .fini = teardown);

/* Entries of the test directory. */
static size_t dir_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

Test(hostile, cleanup_removes_an_open_temporary)
{
	char path[512];
	ctm_atomic a;
	struct stat st;

	snprintf(path, sizeof(path), "%s/out.csv", dir);
	cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_OK);
	fputs("half", a.file);
	cr_assert_eq(stat(a.tmp_path, &st), 0, "the temporary exists while writing");
	cr_assert_eq(dir_entries(), 1);

	/* What a signal handler does. */
	ctm_cleanup_temporaries();
	cr_assert_eq(dir_entries(), 0, "cleanup removed the temporary");

	/* The run then goes on (in a test; a program would die): the commit
	 * fails rather than create the output from a file that is gone. */
	cr_assert_eq(ctm_atomic__commit(&a, ctx), CTM_EWRITE);
	cr_assert_eq(dir_entries(), 0);
	ctm_atomic__abort(&a);
}

Test(hostile, committed_output_is_not_touched_by_cleanup)
{
	char path[512];
	ctm_atomic a;
	struct stat st;

	snprintf(path, sizeof(path), "%s/out.csv", dir);
	cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_OK);
	fputs("whole\n", a.file);
	cr_assert_eq(ctm_atomic__commit(&a, ctx), CTM_OK);
	ctm_atomic__abort(&a);
	ctm_cleanup_temporaries();
	cr_assert_eq(stat(path, &st), 0, "the output stays");
	cr_assert_eq(st.st_size, 6);
	cr_assert_eq(dir_entries(), 1);
}

Test(hostile, aborted_temporaries_are_forgotten)
{
	/* Many begin/abort cycles must not fill the registry: each abort frees
	 * its slot, so the next temporary is still cleaned on a signal. */
	char path[512];
	ctm_atomic a;

	snprintf(path, sizeof(path), "%s/out.csv", dir);
	for (int i = 0; i < 3 * CTM_MAX_TEMPORARIES; i++) {
		cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_OK);
		ctm_atomic__abort(&a);
	}
	cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_OK);
	ctm_cleanup_temporaries();
	cr_assert_eq(dir_entries(), 0);
	ctm_atomic__abort(&a);
}

Test(hostile, full_registry_still_writes)
{
	/* With every slot taken the output is still written (only not cleaned
	 * on a signal); nothing is refused. */
	static const char names[CTM_MAX_TEMPORARIES][8];
	char path[512];
	ctm_atomic a;
	int taken = 0;

	for (int i = 0; i < CTM_MAX_TEMPORARIES; i++)
		if (ctm_atomic__register_temporary(names[i]) == 0)
			taken++;
	cr_assert_eq(ctm_atomic__register_temporary("one more"), -1, "the registry is full");
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_OK);
	cr_assert_eq(ctm_atomic__commit(&a, ctx), CTM_OK);
	ctm_atomic__abort(&a);
	for (int i = 0; i < CTM_MAX_TEMPORARIES; i++)
		ctm_atomic__unregister_temporary(names[i]);
	cr_assert_gt(taken, 0);
}

Test(hostile, save_to_missing_directory_leaves_nothing)
{
	char path[512];
	ctm_atomic a;

	snprintf(path, sizeof(path), "%s/no/such/out.csv", dir);
	cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_EWRITE);
	cr_assert_geq(ctm_ctx_error_count(ctx), 1);
	ctm_atomic__abort(&a);
	cr_assert_eq(dir_entries(), 0);
}

Test(hostile, save_over_a_directory_leaves_nothing)
{
	char path[512];
	ctm_atomic a;

	snprintf(path, sizeof(path), "%s/sub", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_OK);
	fputs("x\n", a.file);
	cr_assert_eq(ctm_atomic__commit(&a, ctx), CTM_EWRITE, "rename over a directory fails");
	ctm_atomic__abort(&a);
	cr_assert_eq(dir_entries(), 1, "only the directory; no temporary");
	rmdir(path);
}

static const char rubric_xml[] =
	"<rubric xmlns=\"urn:continuum:rubric:1\" id=\"h\" version=\"1\">"
	"<title>H</title><source>S</source><levels>"
	"<level value=\"1\" id=\"a\"><name>A</name></level>"
	"<level value=\"2\" id=\"b\"><name>B</name></level></levels>"
	"<dimensions><dimension id=\"d\"><name>D</name><prompt>P</prompt></dimension></dimensions>"
	"</rubric>";

/* Reads buf (len bytes, not NUL-terminated: a copy without one, so ASan sees
 * any read past the end) and returns the read's code; *excluded (if not
 * NULL) gets the number of exclusions counted by --lenient. */
static int read_exact(const char *buf, size_t len, int lenient, size_t *excluded)
{
	ctm_read_options opts = CTM_READ_OPTIONS_INIT;
	ctm_rubric *r = NULL;
	ctm_dataset *ds = NULL;
	char *copy = malloc(len ? len : 1);
	int rc;

	cr_assert_not_null(copy);
	memcpy(copy, buf, len);
	opts.lenient = lenient;
	cr_assert_eq(ctm_rubric_load_memory(&r, "h.xml", rubric_xml, sizeof(rubric_xml) - 1, ctx),
		     CTM_OK);
	cr_assert_eq(ctm_dataset_new(&ds, r, &opts, ctx), CTM_OK);
	rc = ctm_dataset_read_memory(ds, "m.csv", copy, len, ctx);
	if (excluded) {
		*excluded = 0;
		for (size_t i = 0; i < ctm_dataset_exclusion_count(ds); i++)
			*excluded += ctm_dataset_exclusion(ds, i)->count;
	}
	ctm_dataset_free(ds);
	ctm_rubric_free(r);
	free(copy);
	return rc;
}

/* The first error kept, formatted. */
static const char *first_error(void)
{
	static char line[512];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		const ctm_diag *d = ctm_ctx_get(ctx, i);
		if (d->severity == CTM_SEV_ERROR) {
			ctm_diag_format(d, line, sizeof(line));
			return line;
		}
	}
	return "";
}

Test(hostile, nul_byte_in_memory_is_located)
{
	static const char csv[] = "region,wave,partner,d\nR,1,A\0B,1\n";
	cr_assert_eq(read_exact(csv, sizeof(csv) - 1, 0, NULL), CTM_EINVALID);
	cr_assert_str_eq(first_error(), "m.csv:2:6: error: NUL byte in field");
}

Test(hostile, nul_byte_is_counted_when_lenient)
{
	/* --lenient goes on, but never in silence: the row is an exclusion. */
	static const char csv[] = "region,wave,partner,d\nR,1,A\0B,1\nR,1,C,2\n";
	size_t excluded;
	cr_assert_eq(read_exact(csv, sizeof(csv) - 1, 1, &excluded), CTM_OK);
	cr_assert_geq(excluded, 1, "the NUL byte is counted as an exclusion");
}

Test(hostile, buffer_ending_mid_record_reads_nothing_past_it)
{
	/* Cut inside a quoted field, inside a UTF-8 sequence, after a CR. */
	static const char *cuts[] = {
		"region,wave,partner,d\nR,1,\"A",
		"region,wave,partner,d\nR,1,\xc3",
		"region,wave,partner,d\r",
		"region,wave,partner,d\nR,1,A,1\r",
		"\xef\xbb",
	};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		ctm_ctx_clear(ctx);
		int rc = read_exact(cuts[i], strlen(cuts[i]), 0, NULL);
		if (i == 3)
			cr_assert_eq(rc, CTM_OK, "cut %zu: a complete record", i);
		else
			cr_assert_eq(rc, CTM_EINVALID, "cut %zu: %s", i, first_error());
	}
}
