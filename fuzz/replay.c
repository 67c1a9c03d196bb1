/* Replays fuzz corpora without libFuzzer: runs LLVMFuzzerTestOneInput on every
 * file of the directories (or files) given. Built with the normal compiler in
 * every test build, so that ctest keeps each past crasher fixed under gcc,
 * ASan and valgrind alike. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Runs one file; returns 0, or -1 if it cannot be read. */
static int replay_file(const char *path)
{
	FILE *f = NULL;
	unsigned char *buf = NULL;
	long len;
	int rc = -1;

	f = fopen(path, "rb");
	if (!f)
		goto cleanup;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto cleanup;
	/* One more byte so that an empty file still gets a valid pointer. */
	buf = malloc((size_t)len + 1);
	if (!buf)
		goto cleanup;
	if (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)
		goto cleanup;
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	rc = 0;
cleanup:
	if (rc != 0)
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
	free(buf);
	if (f)
		fclose(f);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir, in name order (reproducible output). */
static int replay_dir(const char *dir, size_t *count)
{
	DIR *d = NULL;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = -1;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		goto cleanup;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **p = realloc(names, ncap * sizeof(*p));
			if (!p)
				goto cleanup;
			names = p;
			cap = ncap;
		}
		size_t need = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(need);
		if (!names[n])
			goto cleanup;
		snprintf(names[n], need, "%s/%s", dir, e->d_name);
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	rc = 0;
	for (i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(names[i]) != 0)
			rc = -1;
		else
			(*count)++;
	}
cleanup:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (d)
		closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &count) != 0)
				rc = 1;
		} else if (replay_file(argv[i]) != 0) {
			rc = 1;
		} else {
			count++;
		}
	}
	printf("replayed %zu inputs\n", count);
	return rc;
}
