/*
 * The audit: what in the responses read may move a result unnoticed.
 *
 * Names near each other (partners of one group, regions): after the name key
 * (names.c has already made "City Council" and "city  council" one), two
 * names are near when
 * - their keys without punctuation are equal ("Dept. of Health", "Dept of
 *   Health");
 * - one abbreviates the other word by word ("Dept. of Health", "Department
 *   of Health": each word equal, or starting with the same letter and its
 *   letters found in order in the other's), or is the other's initials
 *   ("DoH");
 * - they are within a small edit distance (1 for names of 6 to 11
 *   characters, 2 from 12 on), unless they differ in a digit ("Team 1",
 *   "Team 2" are two teams).
 * Waves that look like one date: their digit runs read as year, month and
 * day (2024-3, 2024-03, 03/2024, 2024.03) give the same date.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "continuum/audit.h"
#include "dataset_internal.h"
#include "grow.h"
#include "namekey.h"
#include "strbuf.h"
#include "text.h"

/* Partners of a group compared in pairs at most (beyond: keys only). */
#define AUDIT_PAIRWISE_MAX 2000

struct ctm_audit {
	ctm_arena arena;
	ctm_finding *findings;
	size_t finding_count, finding_cap;
	ctm_group_quality *groups;
	size_t group_count;
	size_t more_test_rows;
};

static int add(ctm_audit *a, ctm_finding f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int add(ctm_audit *a, ctm_finding f, const char *fmt, ...)
{
	ctm_strbuf b = CTM_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	ctm_strbuf__vprintf(&b, fmt, ap);
	va_end(ap);
	f.message = b.failed ? NULL : ctm_arena__strdup(&a->arena, b.s ? b.s : "");
	ctm_strbuf__free(&b);
	if (!f.message || ctm_grow__reserve((void **)&a->findings, &a->finding_cap,
					    a->finding_count + 1, sizeof(*a->findings)))
		return CTM_ENOMEM;
	a->findings[a->finding_count++] = f;
	return CTM_OK;
}

/* ---- names near each other ---- */

typedef struct name {
	const char *shown;
	char *loose; /* punctuation-free key */
	size_t len;
	int has_digit;
} name;

/* Whether word s (sl) abbreviates word l (ll): same first letter, its
 * letters in order in l. */
static int abbreviates(const char *s, size_t sl, const char *l, size_t ll)
{
	if (sl == 0 || sl > ll || s[0] != l[0])
		return 0;
	size_t j = 0;
	for (size_t i = 0; i < ll && j < sl; i++)
		if (l[i] == s[j])
			j++;
	return j == sl;
}

static size_t words(const char *s, size_t len, const char **w, size_t *wl, size_t max)
{
	size_t n = 0;
	const char *p = s, *end = s + len;
	while (p < end && n < max) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		w[n] = p;
		wl[n++] = (size_t)((sp ? sp : end) - p);
		p += wl[n - 1] + 1;
	}
	return p < end ? max + 1 : n;
}

/* How a and b are near ("abbreviation", ...), or NULL. */
static const char *near(const name *a, const name *b)
{
	if (a->len == b->len && memcmp(a->loose, b->loose, a->len) == 0)
		return "the same but for punctuation";
	const char *aw[16], *bw[16];
	size_t awl[16], bwl[16];
	size_t an = words(a->loose, a->len, aw, awl, 16), bn = words(b->loose, b->len, bw, bwl, 16);
	if (an <= 16 && an == bn) {
		int differs = 0, ok = 1;
		for (size_t k = 0; k < an && ok; k++) {
			if (awl[k] == bwl[k] && memcmp(aw[k], bw[k], awl[k]) == 0)
				continue;
			differs = 1;
			ok = abbreviates(aw[k], awl[k], bw[k], bwl[k]) ||
			     abbreviates(bw[k], bwl[k], aw[k], awl[k]);
		}
		if (ok && differs)
			return "one abbreviates the other";
	}
	/* initials: "doh" and "department of health" */
	const name *s = an == 1 ? a : b;
	size_t ln = an == 1 ? bn : an;
	if ((an == 1) != (bn == 1) && ln >= 2 && ln <= 16 && s->len == ln) {
		const char **lw = an == 1 ? bw : aw;
		size_t k = 0;
		while (k < ln && lw[k][0] == s->loose[k])
			k++;
		if (k == ln)
			return "one is the other's initials";
	}
	size_t shorter = a->len < b->len ? a->len : b->len;
	if ((a->has_digit || b->has_digit) || shorter < 6)
		return NULL;
	size_t bound = shorter >= 12 ? 2 : 1;
	if (ctm_text__edit_distance(a->loose, a->len, b->loose, b->len, bound) <= bound)
		return "spelt nearly the same";
	return NULL;
}

static int cmp_loose(const void *x, const void *y)
{
	const name *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->loose, b->loose, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The near pairs among names (count of them) as findings. */
static int near_names(ctm_audit *a, name *names, size_t count, ctm_finding base,
		      const char *what)
{
	int rc;
	if (count <= AUDIT_PAIRWISE_MAX) {
		for (size_t i = 0; i < count; i++)
			for (size_t j = i + 1; j < count; j++) {
				const char *how = near(&names[i], &names[j]);
				if (!how)
					continue;
				ctm_finding f = base;
				f.a = names[i].shown;
				f.b = names[j].shown;
				if ((rc = add(a, f, "%s '%s' and '%s' may be one (%s)", what, f.a, f.b,
					      how)) != CTM_OK)
					return rc;
			}
		return CTM_OK;
	}
	/* many names: those equal but for punctuation, found by sorting */
	qsort(names, count, sizeof(*names), cmp_loose);
	for (size_t i = 1; i < count; i++) {
		if (cmp_loose(&names[i - 1], &names[i]) != 0)
			continue;
		ctm_finding f = base;
		f.a = names[i - 1].shown;
		f.b = names[i].shown;
		if ((rc = add(a, f, "%s '%s' and '%s' may be one (the same but for punctuation)",
			      what, f.a, f.b)) != CTM_OK)
			return rc;
	}
	return CTM_OK;
}

static int make_name(ctm_audit *a, ctm_strbuf *key, const char *shown, name *out)
{
	if (ctm_namekey__loose(key, shown, strlen(shown)))
		return CTM_ENOMEM;
	out->shown = shown;
	out->len = key->len;
	if (!(out->loose = ctm_arena__strndup(&a->arena, key->s, key->len)))
		return CTM_ENOMEM;
	out->has_digit = 0;
	for (size_t i = 0; i < key->len; i++)
		out->has_digit |= key->s[i] >= '0' && key->s[i] <= '9';
	return CTM_OK;
}

/* ---- waves written two ways ---- */

/* The date a wave's digit runs make, "YYYY-MM[-DD]", or 0 when they make
 * none. */
static int wave_date(const char *s, char *out, size_t size)
{
	long runs[3];
	size_t lens[3], n = 0;
	for (const char *p = s; *p;) {
		if (*p < '0' || *p > '9') {
			/* only separators: a wave "Spring 2024" is not a date */
			if (!strchr("-/. ", *p))
				return 0;
			p++;
			continue;
		}
		if (n == 3)
			return 0;
		const char *st = p;
		long v = 0;
		while (*p >= '0' && *p <= '9' && p - st < 6)
			v = v * 10 + (*p++ - '0');
		if (*p >= '0' && *p <= '9')
			return 0;
		lens[n] = (size_t)(p - st);
		runs[n++] = v;
	}
	long y, m, d = 0;
	if (n == 2 && lens[0] == 4)
		y = runs[0], m = runs[1];
	else if (n == 2 && lens[1] == 4)
		y = runs[1], m = runs[0];
	else if (n == 3 && lens[0] == 4)
		y = runs[0], m = runs[1], d = runs[2];
	else if (n == 3 && lens[2] == 4)
		y = runs[2], m = runs[0], d = runs[1]; /* month first, as --duplicates reads */
	else
		return 0;
	if (m < 1 || m > 12 || d < 0 || d > 31)
		return 0;
	if (d)
		snprintf(out, size, "%04ld-%02ld-%02ld", y, m, d);
	else
		snprintf(out, size, "%04ld-%02ld", y, m);
	return 1;
}

/* ---- the audit ---- */

static int cmp_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return (a > b) - (a < b);
}

/* A group's partners, by index. */
static const char **partner_names(const ctm_group_acc *g)
{
	const char **names = calloc(g->partner_count ? g->partner_count : 1, sizeof(*names));
	if (!names)
		return NULL;
	for (size_t i = 0; i < g->partners.capacity; i++) {
		const ctm_hashmap_slot *s = &g->partners.slots[i];
		if (s->key && s->value < g->partner_count)
			names[s->value] = s->key;
	}
	return names;
}

static int group_table(ctm_audit *a, const ctm_dataset *ds, const ctm_group_acc *g,
		       ctm_group_quality *out)
{
	out->region = g->region;
	out->wave = g->wave;
	out->rows = g->respondent_count;
	out->partners = g->partner_count;
	out->item_count = ds->matched;
	size_t *answers = ctm_arena__alloc(&a->arena, (ds->matched ? ds->matched : 1) * sizeof(size_t));
	size_t *rows = malloc((g->partner_count ? g->partner_count : 1) * sizeof(size_t));
	if (!answers || !rows) {
		free(rows);
		return CTM_ENOMEM;
	}
	for (size_t i = 0; i < ds->matched; i++) {
		size_t n = 0;
		for (size_t u = 0; u < g->unit_count; u++)
			n += g->counts[u * ds->items + i];
		answers[i] = n;
	}
	out->answers = answers;
	memcpy(rows, g->partner_rows, g->partner_count * sizeof(size_t));
	qsort(rows, g->partner_count, sizeof(size_t), cmp_size);
	if (g->partner_count) {
		size_t n = g->partner_count;
		out->partner_rows_min = rows[0];
		out->partner_rows_max = rows[n - 1];
		out->partner_rows_median =
			n % 2 ? (double)rows[n / 2] : ((double)rows[n / 2 - 1] + (double)rows[n / 2]) / 2;
	}
	free(rows);
	return CTM_OK;
}

static int group_findings(ctm_audit *a, const ctm_group_acc *g, ctm_strbuf *key)
{
	const char **shown = partner_names(g);
	name *names = calloc(g->partner_count ? g->partner_count : 1, sizeof(*names));
	int rc = shown && names ? CTM_OK : CTM_ENOMEM;
	for (size_t i = 0; rc == CTM_OK && i < g->partner_count; i++)
		rc = make_name(a, key, shown[i] ? shown[i] : "", &names[i]);
	if (rc == CTM_OK) {
		ctm_finding base = { CTM_FINDING_NEAR_PARTNERS, g->region, g->wave, NULL, NULL,
				     NULL, 0, 1, NULL };
		rc = near_names(a, names, g->partner_count, base, "partners");
	}
	free(shown);
	free(names);
	return rc;
}

/* Partners answering in only one wave of a region that has several. */
static int one_wave_partners(ctm_audit *a, const ctm_group_acc **order, size_t n)
{
	int rc = CTM_OK;
	for (size_t start = 0; start < n && rc == CTM_OK;) {
		size_t end = start + 1;
		while (end < n && strcmp(order[end]->region, order[start]->region) == 0)
			end++;
		if (end - start >= 2) {
			/* partner name -> the waves it answered in (count, last) */
			ctm_hashmap seen = CTM_HASHMAP_INIT;
			size_t *waves = NULL, *last = NULL, cap = 0, count = 0;
			const char **names = NULL;
			size_t names_cap = 0;
			for (size_t k = start; k < end && rc == CTM_OK; k++) {
				const ctm_group_acc *g = order[k];
				/* in the order partners were first seen */
				const char **by_index = partner_names(g);
				if (!by_index) {
					rc = CTM_ENOMEM;
					break;
				}
				for (size_t i = 0; i < g->partner_count && rc == CTM_OK; i++) {
					if (!by_index[i])
						continue;
					const ctm_hashmap_slot one = { by_index[i], strlen(by_index[i]), 0, 0 };
					const ctm_hashmap_slot *s = &one;
					uint64_t h = ctm_hashmap__hash(s->key, s->len);
					const ctm_hashmap_slot *got =
						ctm_hashmap__get(&seen, s->key, s->len, h);
					if (got) {
						waves[got->value]++;
						last[got->value] = k;
						continue;
					}
					size_t c1 = cap, c2 = cap;
					if (ctm_grow__reserve((void **)&waves, &c1, count + 1,
							      sizeof(*waves)) ||
					    ctm_grow__reserve((void **)&last, &c2, count + 1,
							      sizeof(*last)) ||
					    ctm_grow__reserve((void **)&names, &names_cap, count + 1,
							      sizeof(*names)) ||
					    ctm_hashmap__put(&seen, s->key, s->len, h, count)) {
						rc = CTM_ENOMEM;
						break;
					}
					cap = c1 < c2 ? c1 : c2;
					waves[count] = 1;
					last[count] = k;
					names[count++] = s->key;
				}
				free(by_index);
			}
			/* one finding per wave: the partners that answered in it only */
			for (size_t k = start; k < end && rc == CTM_OK; k++) {
				ctm_strbuf list = CTM_STRBUF_INIT;
				size_t only = 0;
				const char *first = NULL;
				for (size_t i = 0; i < count; i++) {
					if (waves[i] != 1 || last[i] != k)
						continue;
					if (only++ < 10)
						ctm_strbuf__printf(&list, "%s'%s'", only > 1 ? ", " : "",
								   names[i]);
					if (!first)
						first = names[i];
				}
				if (only > 10)
					ctm_strbuf__printf(&list, ", and %zu more", only - 10);
				if (list.failed)
					rc = CTM_ENOMEM;
				const ctm_group_acc *g = order[k];
				ctm_finding f = { CTM_FINDING_ONE_WAVE, g->region, g->wave, first,
						  NULL, NULL, 0, 0, NULL };
				if (rc == CTM_OK && only)
					rc = add(a, f,
						 "%zu partner%s answered in wave '%s' only of region '%s' "
						 "(%zu waves), so a change between waves is partly a "
						 "change of who answered: %s",
						 only, only == 1 ? "" : "s", g->wave, g->region,
						 end - start, list.s);
				ctm_strbuf__free(&list);
			}
			ctm_hashmap__free(&seen);
			free(waves);
			free(last);
			free(names);
		}
		start = end;
	}
	return rc;
}

static int wave_spellings(ctm_audit *a, const ctm_group_acc **order, size_t n)
{
	/* distinct waves and their dates; sorted by date, neighbours compared */
	typedef struct wd {
		char date[16];
		const char *wave;
	} wd;
	wd *all = calloc(n ? n : 1, sizeof(*all));
	size_t m = 0;
	int rc = CTM_OK;
	if (!all)
		return CTM_ENOMEM;
	ctm_hashmap seen = CTM_HASHMAP_INIT;
	for (size_t i = 0; i < n && rc == CTM_OK; i++) {
		const ctm_group_acc *g = order[i];
		uint64_t h = ctm_hashmap__hash(g->wave, g->wave_len);
		if (ctm_hashmap__get(&seen, g->wave, g->wave_len, h))
			continue;
		if (ctm_hashmap__put(&seen, g->wave, g->wave_len, h, i)) {
			rc = CTM_ENOMEM;
			break;
		}
		if (wave_date(g->wave, all[m].date, sizeof(all[m].date)))
			all[m++].wave = g->wave;
	}
	ctm_hashmap__free(&seen);
	for (size_t i = 0; i < m && rc == CTM_OK; i++)
		for (size_t j = i + 1; j < m && rc == CTM_OK; j++) {
			/* few waves in any data set: pairs are cheap */
			if (strcmp(all[i].date, all[j].date) != 0)
				continue;
			ctm_finding f = { CTM_FINDING_WAVE_SPELLINGS, NULL, NULL, all[i].wave,
					  all[j].wave, NULL, 0, 0, NULL };
			rc = add(a, f,
				 "waves '%s' and '%s' look like one date (%s) written two ways: "
				 "compare reports a change between them",
				 all[i].wave, all[j].wave, all[i].date);
		}
	free(all);
	return rc;
}

static int region_spellings(ctm_audit *a, const ctm_group_acc **order, size_t n,
			    ctm_strbuf *key)
{
	name *names = calloc(n ? n : 1, sizeof(*names));
	size_t m = 0;
	int rc = names ? CTM_OK : CTM_ENOMEM;
	for (size_t i = 0; i < n && rc == CTM_OK; i++)
		if (m == 0 || strcmp(names[m - 1].shown, order[i]->region) != 0)
			rc = make_name(a, key, order[i]->region, &names[m++]);
	if (rc == CTM_OK) {
		ctm_finding base = { CTM_FINDING_NEAR_REGIONS, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL };
		rc = near_names(a, names, m, base, "regions");
	}
	free(names);
	return rc;
}

/* A suspect row and its group's place in the order. */
typedef struct placed {
	size_t pos, index;
} placed;

static int cmp_placed(const void *x, const void *y)
{
	const placed *a = x, *b = y;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

int ctm_audit_run(ctm_audit **out, const ctm_dataset *ds, ctm_ctx *ctx)
{
	ctm_audit *a = NULL;
	const ctm_group_acc **order = NULL;
	size_t *rank = NULL;
	placed *by_group = NULL;
	ctm_strbuf key = CTM_STRBUF_INIT;
	int rc = CTM_ENOMEM;
	(void)ctx;

	if (!out || !ds)
		return CTM_EUSAGE;
	*out = NULL;
	if (!(a = calloc(1, sizeof(*a))))
		return CTM_ENOMEM;
	size_t n = ds->group_count;
	if (!(order = malloc((n ? n : 1) * sizeof(*order))) ||
	    !(a->groups = calloc(n ? n : 1, sizeof(*a->groups))))
		goto cleanup;
	memcpy(order, ds->groups, n * sizeof(*order));
	if (ctm_names__sort_groups(order, n) != CTM_OK)
		goto cleanup;
	a->group_count = n;

	for (size_t i = 0; i < ds->repeat_count; i++) {
		const ctm_input_repeat *r = &ds->repeats[i];
		ctm_finding f = { CTM_FINDING_REPEATED_INPUT, NULL, NULL, r->name, r->same_as,
				  NULL, 0, 1, NULL };
		if (add(a, f, "input '%s' %s '%s': read once", r->name,
			r->same_file ? "is the same file as" : "has the same content as",
			r->same_as) != CTM_OK)
			goto cleanup;
	}
	/* the rows that look like tests, by their group's place in the order */
	if (!(rank = malloc((n ? n : 1) * sizeof(*rank))) ||
	    !(by_group = malloc((ds->suspect_count ? ds->suspect_count : 1) * sizeof(*by_group))))
		goto cleanup;
	for (size_t i = 0; i < n; i++)
		rank[order[i]->index] = i;
	for (size_t k = 0; k < ds->suspect_count; k++) {
		const ctm_suspect_row *r = &ds->suspects[k];
		by_group[k] = (placed){ SIZE_MAX, k };
		size_t rl = strlen(r->region), wl = strlen(r->wave);
		char *gk = malloc(rl + wl + 1);
		if (!gk)
			goto cleanup;
		memcpy(gk, r->region, rl);
		gk[rl] = '\0';
		memcpy(gk + rl + 1, r->wave, wl);
		const ctm_hashmap_slot *slot =
			ctm_hashmap__get(&ds->group_index, gk, rl + 1 + wl,
					 ctm_hashmap__hash(gk, rl + 1 + wl));
		free(gk);
		if (slot)
			by_group[k].pos = rank[slot->value];
	}
	qsort(by_group, ds->suspect_count, sizeof(*by_group), cmp_placed);
	size_t next = 0;
	for (size_t i = 0; i < n; i++) {
		if (group_table(a, ds, order[i], &a->groups[i]) != CTM_OK ||
		    group_findings(a, order[i], &key) != CTM_OK)
			goto cleanup;
		for (; next < ds->suspect_count && by_group[next].pos == i; next++) {
			const ctm_suspect_row *r = &ds->suspects[by_group[next].index];
			const char *file = r->file < ds->file_count ? ds->file_names[r->file] : "";
			ctm_finding f = { CTM_FINDING_TEST_ROW, r->region, r->wave, r->partner,
					  NULL, file, r->line, 1, NULL };
			int e = r->why ? add(a, f, "the row of partner '%s' looks like a test (its name "
						   "says '%s'): %s line %lu",
					     r->partner, r->why, file, r->line)
				       : add(a, f,
					     "the row of partner '%s' looks like a test (every "
					     "answer the %s one): %s line %lu",
					     r->partner, r->all_top == 1 ? "top" : "bottom", file,
					     r->line);
			if (e != CTM_OK)
				goto cleanup;
		}
	}
	a->more_test_rows = ds->suspect_total - ds->suspect_count;
	if (region_spellings(a, order, n, &key) != CTM_OK ||
	    one_wave_partners(a, order, n) != CTM_OK || wave_spellings(a, order, n) != CTM_OK)
		goto cleanup;
	rc = CTM_OK;

cleanup:
	free(order);
	free(rank);
	free(by_group);
	ctm_strbuf__free(&key);
	if (rc != CTM_OK) {
		ctm_audit_free(a);
		return rc;
	}
	*out = a;
	return CTM_OK;
}

void ctm_audit_free(ctm_audit *a)
{
	if (!a)
		return;
	free(a->findings);
	free(a->groups);
	ctm_arena__free(&a->arena);
	free(a);
}

size_t ctm_audit_finding_count(const ctm_audit *a) { return a ? a->finding_count : 0; }

const ctm_finding *ctm_audit_finding(const ctm_audit *a, size_t i)
{
	return a && i < a->finding_count ? &a->findings[i] : NULL;
}

size_t ctm_audit_more_test_rows(const ctm_audit *a) { return a ? a->more_test_rows : 0; }

size_t ctm_audit_group_count(const ctm_audit *a) { return a ? a->group_count : 0; }

const ctm_group_quality *ctm_audit_group(const ctm_audit *a, size_t i)
{
	return a && i < a->group_count ? &a->groups[i] : NULL;
}
