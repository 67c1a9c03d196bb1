/* The facilitator's summary: the partnership's own words (--notes), after
 * the cover (or the comparison's overview) and before the numbers,
 * paragraph by paragraph as written. */
#include <string.h>

#include "draw.h"
#include "report_options.h"

int ctm_report__notes_page(ctm_draw_doc *doc, const char *notes)
{
	int rc;

	if ((rc = ctm_draw__page_add(doc)) < 0 ||
	    (rc = ctm_draw__heading(doc, 1, "Facilitator's summary")) < 0)
		return rc;
	/* the notes are read whole (report_options.c): one paragraph per line */
	for (const char *p = notes; *p;) {
		size_t n = strcspn(p, "\n");
		const char *para = ctm_draw__printf(doc, "%.*s", (int)n, p);
		if ((rc = ctm_draw__paragraph(doc, para, NULL)) < 0)
			return rc;
		p += n;
		p += *p == '\n';
	}
	return 0;
}
