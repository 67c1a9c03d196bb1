/*
 * The pieces of the test rubrics the suites share, so that each suite writes
 * only what is particular to it (its dimensions and questions). Every piece
 * is a string literal ending in a newline; a rubric is
 *   CTM_TEST_HEAD CTM_TEST_LEVELS3 CTM_TEST_SCALE_YPN "<dimensions>..."
 *   "</rubric>\n"
 */
#ifndef CTM_TESTS_TEST_RUBRICS_H
#define CTM_TESTS_TEST_RUBRICS_H

/* The XML declaration, the root (id "t", version "1.0"), title and source. */
#define CTM_TEST_HEAD \
	"<?xml version=\"1.0\"?>\n" \
	"<rubric xmlns=\"urn:continuum:rubric:1\" id=\"t\" version=\"1.0\">\n" \
	"<title>T</title>\n<source>S</source>\n"

/* Three levels: Awareness, Cooperation, Coordination. */
#define CTM_TEST_LEVELS3 \
	"<levels>\n" \
	"<level value=\"1\" id=\"aware\"><name>Awareness</name></level>\n" \
	"<level value=\"2\" id=\"coop\"><name>Cooperation</name></level>\n" \
	"<level value=\"3\" id=\"coord\"><name>Coordination</name></level>\n" \
	"</levels>\n"

/* Five levels: the three above, Collaboration and Integration. */
#define CTM_TEST_LEVELS5 \
	"<levels>\n" \
	"<level value=\"1\" id=\"aware\"><name>Awareness</name></level>\n" \
	"<level value=\"2\" id=\"coop\"><name>Cooperation</name></level>\n" \
	"<level value=\"3\" id=\"coord\"><name>Coordination</name></level>\n" \
	"<level value=\"4\" id=\"collab\"><name>Collaboration</name></level>\n" \
	"<level value=\"5\" id=\"integ\"><name>Integration</name></level>\n" \
	"</levels>\n"

/* The scale "ypn": yes 1, partly 0.5, no 0, dk (Don't know) missing. */
#define CTM_TEST_SCALE_YPN \
	"<scales>\n<scale id=\"ypn\">\n" \
	"<option code=\"yes\" score=\"1\">Yes</option>\n" \
	"<option code=\"partly\" score=\"0.5\">Partly</option>\n" \
	"<option code=\"no\" score=\"0\">No</option>\n" \
	"<option code=\"dk\" missing=\"true\">Don't know</option>\n" \
	"</scale>\n</scales>\n"

#endif
