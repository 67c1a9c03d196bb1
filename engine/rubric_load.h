/* Internal: the step from a validated XML tree to a rubric model. */
#ifndef CTM_ENGINE_RUBRIC_LOAD_H
#define CTM_ENGINE_RUBRIC_LOAD_H

#include <libxml/tree.h>
#include "continuum/rubric.h"

/* Builds the model and reports every rule violation (all of them) into ctx.
 * Returns 0 with *out set, CTM_EINVALID, or CTM_ENOMEM. */
int ctm_rubric__build(ctm_rubric **out, xmlDocPtr doc, const char *name, ctm_ctx *ctx);

#endif
