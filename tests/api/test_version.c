/* The version: the generated header (include/continuum/version.h.in, filled
 * in by CMake from project()) and the library's ctm_version() agree, and the
 * three numbers, the string and CTM_VERSION_NUMBER say the same. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "continuum.h"

TestSuite(version);

Test(version, runtime_equals_header)
{
	const char *v = ctm_version();

	cr_assert_not_null(v);
	cr_expect_str_eq(v, CTM_VERSION_STRING);
	/* Static: the same pointer every call, never to be freed. */
	cr_expect_eq(ctm_version(), v);
}

Test(version, string_is_major_minor_patch)
{
	char expected[64];

	cr_assert(CTM_VERSION_MAJOR >= 0 && CTM_VERSION_MINOR >= 0 && CTM_VERSION_PATCH >= 0);
	snprintf(expected, sizeof(expected), "%d.%d.%d", CTM_VERSION_MAJOR, CTM_VERSION_MINOR,
		 CTM_VERSION_PATCH);
	cr_expect_str_eq(CTM_VERSION_STRING, expected);
	cr_expect_str_eq(ctm_version(), expected);
}

Test(version, number_orders_versions)
{
	cr_expect_eq(CTM_VERSION_NUMBER,
		     CTM_VERSION_MAJOR * 10000 + CTM_VERSION_MINOR * 100 + CTM_VERSION_PATCH);
	/* Two digits each for minor and patch, so that the number orders. */
	cr_expect_lt(CTM_VERSION_MINOR, 100);
	cr_expect_lt(CTM_VERSION_PATCH, 100);
}

/* What the runtime parses back is what the header says (a program comparing
 * ctm_version() with its own CTM_VERSION_* would do this). */
Test(version, runtime_parses_to_header_numbers)
{
	int major = -1, minor = -1, patch = -1, end = 0;

	cr_assert_eq(sscanf(ctm_version(), "%d.%d.%d%n", &major, &minor, &patch, &end), 3);
	cr_expect_eq((size_t)end, strlen(ctm_version()), "nothing after MAJOR.MINOR.PATCH");
	cr_expect_eq(major, CTM_VERSION_MAJOR);
	cr_expect_eq(minor, CTM_VERSION_MINOR);
	cr_expect_eq(patch, CTM_VERSION_PATCH);
}
