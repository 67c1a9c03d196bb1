/*
 * Internal: responses a survey platform marks as incomplete, a test or a
 * preview, which are left out unless --keep-incomplete (docs/exports.md).
 *
 * Found from the header: Qualtrics' Finished, Status and DistributionChannel
 * columns, LimeSurvey's submitdate ("Date submitted" in a full-text export),
 * REDCap's <form>_complete ("Complete?" in a label export) for a form whose
 * items are read. Each check names one column and a reason; a row that
 * fails one is left out and counted under that reason, in strict reads too
 * (it is not an error: the platform says the row is not a response).
 */
#ifndef CTM_ENGINE_COMPLETION_H
#define CTM_ENGINE_COMPLETION_H

#include "arena.h"
#include "csv.h"
#include "dataset_internal.h"

typedef enum ctm_completion_kind {
	CTM_DONE_QUALTRICS_FINISHED,
	CTM_DONE_QUALTRICS_STATUS,
	CTM_DONE_QUALTRICS_CHANNEL,
	CTM_DONE_LIMESURVEY_SUBMITTED,
	CTM_DONE_REDCAP_COMPLETE
} ctm_completion_kind;

typedef struct ctm_completion_check {
	size_t column;
	ctm_completion_kind kind;
	const char *reason; /* for the exclusion (REDCap's names the form; in the arena) */
} ctm_completion_check;

/*
 * The checks the header calls for, in the arena (*out NULL and *count 0
 * when none). qualtrics: the file has Qualtrics' extra header rows (a
 * Status column counts only in a Qualtrics export, or beside ResponseId:
 * elsewhere it may be a question). 0 or CTM_ENOMEM.
 */
int ctm_completion__find(ctm_arena *arena, const ctm_csv_field *header, size_t count,
			 const ctm_column *columns, int qualtrics, ctm_completion_check **out,
			 size_t *check_count);

/* The reason a row is not a complete response, or NULL when it is one. f
 * holds the row's fields (as many as the header). */
const char *ctm_completion__reason(const ctm_completion_check *checks, size_t count,
				   const ctm_csv_field *f);

#endif
