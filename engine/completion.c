/*
 * Incomplete, test and preview responses, as each platform marks them.
 *
 * Qualtrics: Finished is "False" or 0 in an unfinished response (a
 * recorded partial one); Status is the response type, as text ("Survey
 * Preview", "Survey Test") or as its code (1 preview, 2 test, 9 preview
 * spam, 17 offline preview); DistributionChannel is "preview" or "test" for
 * responses from the editor's preview and the test generator.
 * LimeSurvey: a response never submitted has no submitdate.
 * REDCap: a form's status <form>_complete is 0 (Incomplete), 1 (Unverified)
 * or 2 (Complete). Its columns follow the form's own fields, so the fields of
 * a form are those between the previous form's status column and its own;
 * the status counts only when one of them is a rubric item being read.
 */
#include <stdio.h>
#include <string.h>

#include "completion.h"
#include "text.h"

static int named(const ctm_csv_field *h, const char *name)
{
	const char *s = h->data;
	size_t len = h->len;
	ctm_text__trim(&s, &len);
	return ctm_text__fold_equal(s, len, name, strlen(name));
}

static int has_column(const ctm_csv_field *header, size_t count, const char *name)
{
	for (size_t c = 0; c < count; c++)
		if (named(&header[c], name))
			return 1;
	return 0;
}

/* "x_complete" (raw export) or "Complete?" (label export): the form's name
 * into *form (NULL for a label export), else 0. */
static int redcap_status(const ctm_csv_field *h, const char **form, size_t *form_len)
{
	static const char suffix[] = "_complete";
	const char *s = h->data;
	size_t len = h->len, sl = sizeof(suffix) - 1;
	ctm_text__trim(&s, &len);
	if (ctm_text__fold_equal(s, len, "Complete?", 9)) {
		*form = NULL;
		*form_len = 0;
		return 1;
	}
	if (len > sl && ctm_text__fold_equal(s + len - sl, sl, suffix, sl)) {
		*form = s;
		*form_len = len - sl;
		return 1;
	}
	return 0;
}

static int add_check(ctm_arena *arena, ctm_completion_check **checks, size_t *count, size_t cap,
		     size_t column, ctm_completion_kind kind, const char *reason)
{
	if (!*checks && !(*checks = ctm_arena__alloc(arena, cap * sizeof(**checks))))
		return CTM_ENOMEM;
	(*checks)[(*count)++] = (ctm_completion_check){ column, kind, reason };
	return CTM_OK;
}

int ctm_completion__find(ctm_arena *arena, const ctm_csv_field *header, size_t count,
			 const ctm_column *columns, int qualtrics, ctm_completion_check **out,
			 size_t *check_count)
{
	ctm_completion_check *checks = NULL;
	size_t n = 0, form_start = 0;
	int rc;

	*out = NULL;
	*check_count = 0;
	qualtrics = qualtrics || has_column(header, count, "ResponseId") ||
		    has_column(header, count, "_recordId");
	int limesurvey_text = has_column(header, count, "Last page") ||
			      has_column(header, count, "Start language");
	for (size_t c = 0; c < count; c++) {
		const char *form;
		size_t form_len;
		const char *reason = NULL;
		ctm_completion_kind kind;

		if (columns[c].kind != CTM_COL_IGNORED)
			continue;
		if (named(&header[c], "Finished")) {
			kind = CTM_DONE_QUALTRICS_FINISHED;
			reason = "Qualtrics response not finished (Finished is false)";
		} else if (qualtrics && named(&header[c], "Status")) {
			kind = CTM_DONE_QUALTRICS_STATUS;
			reason = "Qualtrics survey preview or test (Status)";
		} else if (named(&header[c], "DistributionChannel")) {
			kind = CTM_DONE_QUALTRICS_CHANNEL;
			reason = "Qualtrics preview or test response (DistributionChannel)";
		} else if (named(&header[c], "submitdate") ||
			   (limesurvey_text && named(&header[c], "Date submitted"))) {
			kind = CTM_DONE_LIMESURVEY_SUBMITTED;
			reason = "LimeSurvey response not submitted (no submitdate)";
		} else if (redcap_status(&header[c], &form, &form_len)) {
			int used = 0;
			for (size_t k = form_start; k < c; k++)
				used |= columns[k].kind == CTM_COL_ITEM;
			form_start = c + 1;
			if (!used)
				continue;
			kind = CTM_DONE_REDCAP_COMPLETE;
			char buf[300];
			int len = form ? snprintf(buf, sizeof(buf),
						  "REDCap form '%.*s' not complete (%.*s_complete "
						  "is not 2, Complete)",
						  (int)(form_len > 100 ? 100 : form_len), form,
						  (int)(form_len > 100 ? 100 : form_len), form)
				       : snprintf(buf, sizeof(buf),
						  "REDCap form not complete (Complete? is not "
						  "Complete)");
			if (len < 0 || !(reason = ctm_arena__strndup(arena, buf, strlen(buf))))
				return CTM_ENOMEM;
		} else {
			continue;
		}
		if ((rc = add_check(arena, &checks, &n, count, c, kind, reason)) != CTM_OK)
			return rc;
	}
	*out = checks;
	*check_count = n;
	return CTM_OK;
}

static int is(const char *s, size_t len, const char *word)
{
	return ctm_text__fold_equal(s, len, word, strlen(word));
}

/* Nonzero when the cell says the row is not a (complete) response. */
static int fails(ctm_completion_kind kind, const char *s, size_t len)
{
	switch (kind) {
	case CTM_DONE_QUALTRICS_FINISHED: return is(s, len, "false") || is(s, len, "0");
	case CTM_DONE_QUALTRICS_STATUS:
		return is(s, len, "1") || is(s, len, "2") || is(s, len, "9") ||
		       is(s, len, "17") || is(s, len, "Survey Preview") ||
		       is(s, len, "Survey Test") || is(s, len, "Preview Spam") ||
		       is(s, len, "Offline Survey Preview") || is(s, len, "Preview") ||
		       is(s, len, "Test");
	case CTM_DONE_QUALTRICS_CHANNEL: return is(s, len, "preview") || is(s, len, "test");
	case CTM_DONE_LIMESURVEY_SUBMITTED: return len == 0 || is(s, len, "NA");
	case CTM_DONE_REDCAP_COMPLETE: return !is(s, len, "2") && !is(s, len, "Complete");
	}
	return 0;
}

const char *ctm_completion__reason(const ctm_completion_check *checks, size_t count,
				   const ctm_csv_field *f)
{
	for (size_t i = 0; i < count; i++) {
		const char *s = f[checks[i].column].data;
		size_t len = f[checks[i].column].len;
		ctm_text__trim(&s, &len);
		if (fails(checks[i].kind, s, len))
			return checks[i].reason;
	}
	return NULL;
}
