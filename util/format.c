#include <math.h>
#include <string.h>

#include "format.h"

size_t ctm_format__number(char *buf, size_t size, double x, int decimals, unsigned flags)
{
	char digits[CTM_FORMAT_NUMBER_SIZE];

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (!isfinite(x))
		return 0;
	if (decimals < 0)
		decimals = 0;
	if (decimals > CTM_FORMAT_MAX_DECIMALS)
		decimals = CTM_FORMAT_MAX_DECIMALS;
	/* Means are ratios of small integers, computed with an error of a few
	 * units in the last place: snapped to the nearest billionth first, a
	 * value exactly on a rounding tie (89/32 = 2.78125) is that tie, and
	 * printf rounds it as it would the exact value (to even), not by the
	 * direction of the error. */
	double v = fabs(x);
	if (v < 1e6)
		v = round(v * 1e9) / 1e9;
	snprintf(digits, sizeof(digits), "%.*f", decimals, v);
	/* Zero at this precision: no sign, whatever the sign of x. */
	int zero = digits[strspn(digits, "0.")] == '\0';
	const char *sign = "";
	if (!zero && x < 0)
		sign = flags & CTM_FORMAT_UNICODE_MINUS ? "\xE2\x88\x92" : "-";
	else if (!zero && flags & CTM_FORMAT_PLUS)
		sign = "+";
	int n = snprintf(buf, size, "%s%s", sign, digits);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

void ctm_format__csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void ctm_format__csv_number(FILE *out, double x)
{
	char buf[CTM_FORMAT_NUMBER_SIZE];

	fputc(',', out);
	if (ctm_format__number(buf, sizeof(buf), x, CTM_FORMAT_TABLE_DECIMALS, 0))
		fputs(buf, out);
}

void ctm_format__json_number(FILE *out, double x)
{
	char buf[CTM_FORMAT_NUMBER_SIZE];

	if (ctm_format__number(buf, sizeof(buf), x, CTM_FORMAT_TABLE_DECIMALS, 0))
		fputs(buf, out);
	else
		fputs("null", out);
}

void ctm_format__json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}
