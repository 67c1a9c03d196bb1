/*
 * Hostile inputs and safe outputs at the library level: what the CLI suites
 * (tests/cli/hostile.sh, signals.sh) cannot reach from outside.
 * - the registry of temporaries behind ctm_cleanup_temporaries;
 * - responses given from memory with bytes a file name or a shell would not
 *   carry (NUL inside the buffer), read without a terminating NUL;
 * - a failed save leaves nothing in the directory.
 */
#include <dirent.h>
#include <fcntl.h>
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

/* ---- sets of outputs (compare, template): all new or all as before ---- */

static const char *const set_suffixes[3] = { ".csv", "-regions.csv", ".pdf" };

static void write_file(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* The file's text, or "(none)"; the result is static. */
static const char *read_file(const char *name)
{
	static char text[64];
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return "(none)";
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* The previous set: two files, the third (regions) does not exist yet. */
static void previous_set(void)
{
	write_file("out.csv", "old csv");
	write_file("out.pdf", "old pdf");
}

static void expect_previous_set(const char *when)
{
	cr_expect_str_eq(read_file("out.csv"), "old csv", "%s", when);
	cr_expect_str_eq(read_file("out-regions.csv"), "(none)", "%s", when);
	cr_expect_str_eq(read_file("out.pdf"), "old pdf", "%s", when);
	cr_expect_eq(dir_entries(), 2, "%s: nothing but the previous set", when);
}

static void expect_new_set(const char *when)
{
	cr_expect_str_eq(read_file("out.csv"), "new 0", "%s", when);
	cr_expect_str_eq(read_file("out-regions.csv"), "new 1", "%s", when);
	cr_expect_str_eq(read_file("out.pdf"), "new 2", "%s", when);
	cr_expect_eq(dir_entries(), 3, "%s: nothing but the new set", when);
}

static int begin_new_set(ctm_atomic set[3])
{
	char prefix[512];
	snprintf(prefix, sizeof(prefix), "%s/out", dir);
	int rc = ctm_atomic__begin_set(set, 3, prefix, set_suffixes, ctx);
	for (int i = 0; rc == CTM_OK && i < 3; i++)
		fprintf(set[i].file, "new %d", i);
	return rc;
}

Test(hostile, a_set_replaces_every_file)
{
	ctm_atomic set[3];

	previous_set();
	cr_assert_eq(begin_new_set(set), CTM_OK);
	cr_assert_eq(ctm_atomic__commit_set(set, 3, ctx), CTM_OK);
	expect_new_set("after the commit");
	ctm_cleanup_temporaries();
	expect_new_set("a signal after the commit");
}

Test(hostile, a_failed_set_leaves_the_previous_set_whole)
{
	ctm_atomic set[3];
	char path[512];

	previous_set();
	cr_assert_eq(begin_new_set(set), CTM_OK);
	/* The last file cannot be renamed into place: by then the first two
	 * have been, and must be taken back. */
	snprintf(path, sizeof(path), "%s/out.pdf", dir);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(mkdir(path, 0755), 0);
	cr_assert_eq(ctm_atomic__commit_set(set, 3, ctx), CTM_EWRITE);
	cr_expect_str_eq(read_file("out.csv"), "old csv");
	cr_expect_str_eq(read_file("out-regions.csv"), "(none)");
	cr_expect_eq(dir_entries(), 2, "the csv and the directory, no temporary or backup");
	rmdir(path);
}

/* A signal at step k of the commit: the handler's work is done at once
 * (ctm_cleanup_temporaries), and the files are looked at then. */
static int signal_at, steps_seen;
static void signal_here(void)
{
	if (steps_seen++ != signal_at)
		return;
	ctm_cleanup_temporaries();
	/* the last step is after the set became final */
	if (signal_at == 7)
		expect_new_set("a signal once the set is final");
	else
		expect_previous_set("a signal during the commit");
}

Test(hostile, a_signal_at_any_step_of_a_set_leaves_one_whole_set)
{
	/* Steps: temporaries synced (0), three backups (1-3), three renames
	 * (4-6), final (7). */
	for (signal_at = 0; signal_at <= 7; signal_at++) {
		ctm_atomic set[3];
		teardown();
		setup();
		previous_set();
		cr_assert_eq(begin_new_set(set), CTM_OK);
		steps_seen = 0;
		ctm_atomic__step_hook = signal_here;
		(void)ctm_atomic__commit_set(set, 3, ctx); /* a real run ends at the signal */
		ctm_atomic__step_hook = NULL;
		cr_assert_gt(steps_seen, signal_at, "step %d was reached", signal_at);
		for (int i = 0; i < 3; i++)
			ctm_atomic__abort(&set[i]);
	}
}

/* ---- destinations that are not new regular files ---- */

Test(hostile, a_device_is_written_in_place_never_replaced)
{
	ctm_atomic a;
	struct stat st;

	cr_assert_eq(ctm_atomic__begin(&a, "/dev/null", ctx), CTM_OK);
	fputs("discarded\n", a.file);
	cr_assert_eq(ctm_atomic__commit(&a, ctx), CTM_OK);
	ctm_atomic__abort(&a);
	cr_assert_eq(stat("/dev/null", &st), 0);
	cr_assert(S_ISCHR(st.st_mode), "/dev/null is still a device");
}

Test(hostile, a_fifo_is_written_in_place)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/fifo", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	/* a reader, so that opening the FIFO for writing does not wait forever */
	int rfd = open(path, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rfd, 0);
	ctm_atomic a;
	cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_OK);
	fputs("through the pipe\n", a.file);
	cr_assert_eq(ctm_atomic__commit(&a, ctx), CTM_OK);
	ctm_atomic__abort(&a);
	char buf[64] = { 0 };
	cr_assert_eq(read(rfd, buf, sizeof(buf) - 1), 17);
	cr_assert_str_eq(buf, "through the pipe\n");
	close(rfd);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode), "still a FIFO");
	cr_assert_eq(dir_entries(), 1, "no temporary beside it");
}

Test(hostile, a_replaced_file_keeps_its_mode)
{
	char path[512];
	struct stat st;
	ctm_atomic a;

	write_file("private.csv", "old");
	snprintf(path, sizeof(path), "%s/private.csv", dir);
	cr_assert_eq(chmod(path, 0600), 0);
	cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_OK);
	fputs("new", a.file);
	cr_assert_eq(ctm_atomic__commit(&a, ctx), CTM_OK);
	ctm_atomic__abort(&a);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", (unsigned)(st.st_mode & 0777));
	cr_assert_str_eq(read_file("private.csv"), "new");
}

Test(hostile, a_name_of_255_bytes_can_be_written)
{
	char name[256], path[512];
	ctm_atomic a;

	memset(name, 'n', 251);
	strcpy(name + 251, ".csv");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(ctm_atomic__begin(&a, path, ctx), CTM_OK, "the temporary's name fits");
	fputs("x", a.file);
	cr_assert_eq(ctm_atomic__commit(&a, ctx), CTM_OK);
	ctm_atomic__abort(&a);
	cr_assert_str_eq(read_file(name), "x");
}
