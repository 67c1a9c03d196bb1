/* A p-value as the reports print it. */
#include "draw.h"

const char *ctm_draw__p_value(char *buf, size_t size, double p)
{
	/* below 0.0001 as "< 0.0001" rather than the CSV's 0.0000, which a
	 * reader could take for "no chance at all"; false for NaN, which prints
	 * as undefined */
	if (p < 0.00005)
		ctm_draw__format(buf, size, "< 0.0001");
	else
		ctm_draw__number(buf, size, p, 4);
	return buf;
}
