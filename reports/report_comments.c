/* "What partners said": every non-empty answer to each open-text prompt,
 * verbatim and unattributed, under its prompt; the answers in the byte
 * order of their text (ctm_group_comment), so their order tells nothing of
 * who wrote which. */
#include "report_internal.h"

int ctm_report__comments(ctm_report_state *rp)
{
	size_t prompts = ctm_rubric_comment_count(rp->rubric), total = 0;
	ctm_draw_text_style quote = { .size = 9.5, .space_after = 5 };
	int rc;

	for (size_t c = 0; c < prompts; c++)
		total += ctm_group_comment_count(rp->g, c);
	if ((rc = ctm_draw__page_add(rp->doc)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1,
				    rp->partner_units ? "What partners said"
						      : "What respondents said")) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb,
			   "Every answer to the survey's open questions, as it was written: no "
			   "name, partner or role goes with it, and the answers to each question "
			   "are sorted by their text, not in the order they came in. %zu answer%s "
			   "in all.",
			   total, total == 1 ? "" : "s");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__caption(rp, rp->sb.s)) < 0)
		return rc;
	for (size_t c = 0; c < prompts; c++) {
		const ctm_comment *cm = ctm_rubric_comment(rp->rubric, c);
		size_t n = ctm_group_comment_count(rp->g, c), d = ctm_comment_dimension(cm);
		/* the prompt stays with its first answer */
		if ((rc = ctm_draw__need(rp->doc, 70)) < 0 ||
		    (rc = ctm_draw__heading(rp->doc, 2, ctm_comment_prompt(cm))) < 0)
			return rc;
		if (d < rp->dims) {
			const char *about =
				ctm_draw__printf(rp->doc, "About %s.", ctm_report__dim_name(rp, d));
			if ((rc = ctm_report__caption(rp, about)) < 0)
				return rc;
		}
		if (n == 0 && (rc = ctm_report__para(rp, "No one answered this question.")) < 0)
			return rc;
		for (size_t k = 0; k < n; k++) {
			const char *text = ctm_draw__printf(rp->doc, "“%s”",
							    ctm_group_comment(rp->g, c, k));
			if ((rc = ctm_draw__paragraph(rp->doc, text, &quote)) < 0)
				return rc;
		}
		ctm_draw__advance(rp->doc, 6);
	}
	return 0;
}
