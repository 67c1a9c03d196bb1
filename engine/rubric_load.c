/*
 * Loading a rubric: hardened XML reading, schema validation, the model.
 *
 * Hardening, and why:
 * - the file is read by us with a size cap and parsed from memory, because
 *   xmlReadFile silently gunzips (a 78 KB gzip can become 20 million elements);
 * - XML_PARSE_NONET, and never NOENT / DTDLOAD / DTDVALID / XINCLUDE / HUGE;
 * - any DOCTYPE is refused the moment the parser sees it, before an internal
 *   subset is read: no entity of any kind can be declared, so entity bombs
 *   and quadratic blow-ups stop at their first line;
 * - element depth is capped (CTM_RUBRIC_MAX_DEPTH) by a SAX hook;
 * - an external entity loader denies everything while continuum is parsing
 *   (and defers to the previous loader otherwise, so a host program's own use
 *   of libxml2 is left alone).
 *
 * Checks are split in two: the XSD (compiled into the library) checks
 * structure, types and ranges; rubric_build.c checks uniqueness and
 * references with clearer messages than libxml2's identity-constraint errors,
 * plus the rules XSD cannot express. The schema's identity constraints
 * (xs:unique, xs:key, xs:keyref: kept in the file for other tools) are
 * therefore taken out of the copy continuum validates with: libxml2 spent
 * most of a large rubric's validation on them, more than linearly (100,000
 * questions: 0.7 s of 1 s), for messages that were thrown away (issue 21).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "diag.h"
#include "readfile.h"
#include "utf8.h"
#include "rubric_internal.h"
#include "rubric_load.h"

#define RUBRIC_NS "urn:continuum:rubric:1"

extern const unsigned char ctm_rubric__schema[];
extern const size_t ctm_rubric__schema_len;

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static xmlSchemaPtr rubric_schema;
static xmlExternalEntityLoader previous_loader;
static _Thread_local int parsing_rubric;

static xmlParserInputPtr deny_external_entities(const char *url, const char *id,
						xmlParserCtxtPtr ctxt)
{
	if (parsing_rubric)
		return NULL;
	return previous_loader ? previous_loader(url, id, ctxt) : NULL;
}

static void ignore_structured_error(void *data, xmlErrorPtr error)
{
	(void)data;
	(void)error;
}

static int is_identity_constraint(const xmlNode *n)
{
	static const char *const names[] = { "unique", "key", "keyref" };

	if (n->type != XML_ELEMENT_NODE || !n->ns ||
	    !xmlStrEqual(n->ns->href, BAD_CAST "http://www.w3.org/2001/XMLSchema"))
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (xmlStrEqual(n->name, BAD_CAST names[i]))
			return 1;
	return 0;
}

/* Unlinks and frees every identity constraint of the schema document (a walk
 * in document order, without recursion). */
static void drop_identity_constraints(xmlDocPtr schema)
{
	xmlNodePtr root = xmlDocGetRootElement(schema), n = root;

	while (n) {
		if (n != root && is_identity_constraint(n)) {
			xmlNodePtr gone = n;
			while (n != root && !n->next)
				n = n->parent;
			n = n == root ? NULL : n->next;
			xmlUnlinkNode(gone);
			xmlFreeNode(gone);
			continue;
		}
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n != root && !n->next)
			n = n->parent;
		n = n == root ? NULL : n->next;
	}
}

static void init_xml(void)
{
	xmlSchemaParserCtxtPtr pctx = NULL;
	/* Kept for the process's life, as the schema compiled from it. */
	static xmlDocPtr schema_doc;

	xmlInitParser();
	previous_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(deny_external_entities);

	parsing_rubric = 1;
	schema_doc = xmlReadMemory((const char *)ctm_rubric__schema, (int)ctm_rubric__schema_len,
				   "continuum-rubric.xsd", NULL, XML_PARSE_NONET);
	parsing_rubric = 0;
	if (!schema_doc)
		return;
	drop_identity_constraints(schema_doc);
	pctx = xmlSchemaNewDocParserCtxt(schema_doc);
	if (!pctx)
		return;
	xmlSchemaSetParserStructuredErrors(pctx, ignore_structured_error, NULL);
	parsing_rubric = 1;
	rubric_schema = xmlSchemaParse(pctx);
	parsing_rubric = 0;
	xmlSchemaFreeParserCtxt(pctx);
}

struct parse_state {
	ctm_ctx *ctx;
	const char *name;
	int depth;
	int too_deep;
	int doctype;
	int failed;
	startElementNsSAX2Func start_element;
	endElementNsSAX2Func end_element;
};

/* libxml2's messages end with a newline; ours do not. */
static void report_xml_error(struct parse_state *st, const xmlError *e)
{
	char msg[1024];
	const char *text = e->message ? e->message : "malformed XML";
	size_t len = 0;

	/* libxml2 names elements as '{urn:continuum:rubric:1}level': say 'level'. */
	for (const char *p = text; *p && len < sizeof(msg) - 1;) {
		if (strncmp(p, "{" RUBRIC_NS "}", sizeof(RUBRIC_NS) + 1) == 0) {
			p += sizeof(RUBRIC_NS) + 1;
			continue;
		}
		msg[len++] = *p++;
	}
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	msg[len] = '\0';
	if (e->level == XML_ERR_WARNING) {
		ctm_diag__warning(st->ctx, st->name, (unsigned long)(e->line > 0 ? e->line : 0), 0,
				  "%.*s", (int)len, msg);
		return;
	}
	st->failed = 1;
	ctm_diag__error(st->ctx, st->name, (unsigned long)(e->line > 0 ? e->line : 0), 0, "%.*s",
			(int)len, msg);
}

static void on_parser_error(void *user, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = user;
	struct parse_state *st = ctxt->_private;

	/* After we stop the parser on purpose it may add a generic complaint. */
	if (e->code == XML_ERR_USER_STOP || st->doctype || st->too_deep)
		return;
	report_xml_error(st, e);
}

/* A pattern the schema states for an attribute, in words (libxml2 quotes
 * the regular expression, which tells a facilitator nothing). */
static const char *pattern_in_words(const char *message)
{
	if (!strstr(message, "[facet 'pattern']"))
		return NULL;
	if (strstr(message, "attribute 'code'"))
		return "an option code is any non-empty text without white space at either end "
		       "(numbers included), unique within its scale";
	if (strstr(message, "attribute 'id'") || strstr(message, "attribute 'scale'") ||
	    strstr(message, "attribute 'question'"))
		return "an id starts with a letter or '_' and holds only letters, digits, '_', "
		       "'.' and '-'";
	return NULL;
}

static void on_schema_error(void *user, xmlErrorPtr e)
{
	struct parse_state *st = user;
	const char *words;

	/* Identity constraints (unique ids, scale references) are checked by
	 * rubric_build.c with messages that name the first definition. */
	if (e->code == XML_SCHEMAV_CVC_IDC)
		return;
	if (e->message && (words = pattern_in_words(e->message)) != NULL) {
		const char *value = strstr(e->message, "The value '");
		const char *end = value ? strstr(value + 11, "' is not accepted") : NULL;
		st->failed = 1;
		ctm_diag__error(st->ctx, st->name, (unsigned long)(e->line > 0 ? e->line : 0), 0,
				"'%.*s' is not valid: %s", end ? (int)(end - value - 11) : 0,
				end ? value + 11 : "", words);
		return;
	}
	report_xml_error(user, e);
}

static void on_internal_subset(void *user, const xmlChar *name, const xmlChar *external_id,
			       const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = user;
	struct parse_state *st = ctxt->_private;
	(void)name;
	(void)external_id;
	(void)system_id;

	st->doctype = 1;
	st->failed = 1;
	ctm_diag__error(st->ctx, st->name, (unsigned long)xmlSAX2GetLineNumber(ctxt), 0,
			"a DOCTYPE is not allowed in a rubric (no DTDs or entities are read)");
	xmlStopParser(ctxt);
}

static void on_start_element(void *user, const xmlChar *localname, const xmlChar *prefix,
			     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
			     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = user;
	struct parse_state *st = ctxt->_private;

	if (st->too_deep)
		return;
	if (++st->depth > CTM_RUBRIC_MAX_DEPTH) {
		st->too_deep = 1;
		st->failed = 1;
		ctm_diag__error(st->ctx, st->name, (unsigned long)xmlSAX2GetLineNumber(ctxt), 0,
				"elements nested deeper than %d levels", CTM_RUBRIC_MAX_DEPTH);
		xmlStopParser(ctxt);
		return;
	}
	st->start_element(user, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
			  nb_defaulted, attributes);
}

static void on_end_element(void *user, const xmlChar *localname, const xmlChar *prefix,
			   const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = user;
	struct parse_state *st = ctxt->_private;

	if (st->too_deep)
		return;
	st->depth--;
	st->end_element(user, localname, prefix, uri);
}

/* Parses buf into a tree, or NULL with the reasons in ctx. */
static xmlDocPtr parse_hardened(const char *name, const char *buf, size_t len, ctm_ctx *ctx)
{
	struct parse_state st = { ctx, name, 0, 0, 0, 0, NULL, NULL };
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;

	ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
	if (!ctxt) {
		ctm_diag__error(ctx, name, 0, 0, "out of memory while parsing");
		goto cleanup;
	}
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
	ctxt->_private = &st;
	ctxt->sax->serror = on_parser_error;
	ctxt->sax->internalSubset = on_internal_subset;
	ctxt->sax->externalSubset = NULL;
	st.start_element = ctxt->sax->startElementNs;
	st.end_element = ctxt->sax->endElementNs;
	ctxt->sax->startElementNs = on_start_element;
	ctxt->sax->endElementNs = on_end_element;

	parsing_rubric = 1;
	xmlParseDocument(ctxt);
	parsing_rubric = 0;

	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (!ctxt->wellFormed || st.failed || !doc) {
		if (!st.failed)
			ctm_diag__error(ctx, name, 0, 0, "not a well-formed XML document");
		xmlFreeDoc(doc);
		doc = NULL;
	}

cleanup:
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	return doc;
}

static int validate_against_schema(xmlDocPtr doc, const char *name, ctm_ctx *ctx)
{
	struct parse_state st = { ctx, name, 0, 0, 0, 0, NULL, NULL };
	xmlSchemaValidCtxtPtr vctx = NULL;
	int rc = CTM_OK;

	if (!rubric_schema) {
		ctm_diag__error(ctx, name, 0, 0, "internal error: the rubric schema did not load");
		return CTM_EINTERNAL;
	}
	vctx = xmlSchemaNewValidCtxt(rubric_schema);
	if (!vctx)
		return CTM_ENOMEM;
	xmlSchemaSetValidStructuredErrors(vctx, on_schema_error, &st);
	parsing_rubric = 1;
	int valid = xmlSchemaValidateDoc(vctx, doc);
	parsing_rubric = 0;
	if (valid != 0 || st.failed)
		rc = CTM_EINVALID;
	xmlSchemaFreeValidCtxt(vctx);
	return rc;
}

/* Reads at most CTM_RUBRIC_MAX_BYTES; a longer file is refused. */
static int read_capped(const char *path, char **out, size_t *out_len, ctm_ctx *ctx)
{
	int rc = ctm_readfile__bounded(path, CTM_RUBRIC_MAX_BYTES, out, out_len, "rubric", ctx);
	if (rc == CTM_OK && *out_len > CTM_RUBRIC_MAX_BYTES) {
		ctm_diag__error(ctx, path, 0, 0, "rubric is larger than %u bytes",
				(unsigned)CTM_RUBRIC_MAX_BYTES);
		free(*out);
		*out = NULL;
		*out_len = 0;
		rc = CTM_EINVALID;
	}
	return rc;
}

int ctm_rubric_load(ctm_rubric **out, const char *path, ctm_ctx *ctx)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (!out || !path)
		return CTM_EUSAGE;
	*out = NULL;
	rc = read_capped(path, &buf, &len, ctx);
	if (rc == CTM_OK)
		rc = ctm_rubric_load_memory(out, path, buf, len, ctx);
	free(buf);
	return rc;
}

/* The line of byte offset at in buf. */
static unsigned long line_at(const char *buf, size_t at)
{
	unsigned long line = 1;
	for (size_t i = 0; i < at; i++)
		line += buf[i] == '\n';
	return line;
}

/* Rubrics are UTF-8 text: a byte sequence that is not UTF-8 (UTF-16, Latin-1,
 * Windows-1252) or a NUL byte (after which libxml2 would stop reading, so
 * that anything behind it went unchecked) is an error, located. */
static int check_bytes(const char *name, const char *buf, size_t len, ctm_ctx *ctx)
{
	const char *nul = memchr(buf, '\0', len);
	size_t bad = ctm_utf8__invalid_at(buf, nul ? (size_t)(nul - buf) : len);

	if (nul && bad == (size_t)(nul - buf)) {
		ctm_diag__error(ctx, name, line_at(buf, bad), 0,
				"NUL byte at offset %zu: a rubric is text (UTF-8)", bad);
		return CTM_EINVALID;
	}
	if (bad < len) {
		const unsigned char *b = (const unsigned char *)buf;
		int utf16 = len >= 2 &&
			    ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
		ctm_diag__error(ctx, name, line_at(buf, bad), 0,
				"%s at offset %zu: rubrics are UTF-8 (save the file as UTF-8)",
				utf16 ? "the file is UTF-16" : "invalid UTF-8", bad);
		return CTM_EINVALID;
	}
	return CTM_OK;
}

int ctm_rubric_load_memory(ctm_rubric **out, const char *name, const char *buf, size_t len,
			   ctm_ctx *ctx)
{
	xmlDocPtr doc = NULL;
	ctm_rubric *rubric = NULL;
	int rc = CTM_OK, schema_rc;

	if (!out || (!buf && len))
		return CTM_EUSAGE;
	*out = NULL;
	if (!name)
		name = "<rubric>";
	pthread_once(&xml_once, init_xml);

	if (len == 0) {
		ctm_diag__error(ctx, name, 0, 0, "the rubric file is empty");
		return CTM_EINVALID;
	}
	if (len > CTM_RUBRIC_MAX_BYTES) {
		ctm_diag__error(ctx, name, 0, 0, "rubric is larger than %u bytes",
				(unsigned)CTM_RUBRIC_MAX_BYTES);
		return CTM_EINVALID;
	}
	if ((rc = check_bytes(name, buf, len, ctx)) != CTM_OK)
		return rc;
	doc = parse_hardened(name, buf, len, ctx);
	if (!doc) {
		rc = CTM_EINVALID;
		goto cleanup;
	}
	/* A declared encoding other than UTF-8 is refused even when the bytes
	 * happen to be ASCII: the format is UTF-8, and a file that says
	 * otherwise was written by a tool that will write other bytes next. */
	if (doc->encoding && xmlStrcasecmp(doc->encoding, BAD_CAST "UTF-8") != 0 &&
	    xmlStrcasecmp(doc->encoding, BAD_CAST "UTF8") != 0) {
		ctm_diag__error(
			ctx, name, 1, 0,
			"the rubric declares encoding \"%s\": rubrics are UTF-8 (save it as "
			"UTF-8 and declare encoding=\"UTF-8\", or declare none)",
			(const char *)doc->encoding);
		rc = CTM_EINVALID;
		goto cleanup;
	}
	schema_rc = validate_against_schema(doc, name, ctx);
	if (schema_rc == CTM_ENOMEM || schema_rc == CTM_EINTERNAL) {
		rc = schema_rc;
		goto cleanup;
	}
	/* The model is built and checked even after schema errors, so that a
	 * user sees every problem at once; the builder is defensive about
	 * anything the schema would have guaranteed. */
	rc = ctm_rubric__build(&rubric, doc, name, ctx);
	if (rc == CTM_OK && schema_rc != CTM_OK)
		rc = schema_rc;
	if (rc != CTM_OK)
		goto cleanup;
	*out = rubric;
	rubric = NULL;

cleanup:
	ctm_rubric_free(rubric);
	xmlFreeDoc(doc);
	return rc;
}
