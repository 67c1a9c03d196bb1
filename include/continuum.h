/*
 * continuum — where a partnership of agencies stands on the continuum from
 * working alone to working as one integrated system.
 *
 * The umbrella header: include this one. It compiles alone as C11 and as C++
 * (tests/header/).
 *
 * The rules every function follows (return codes, output parameters, who
 * owns what, NULL) are in continuum/common.h; each function's comment says
 * what it returns, what it keeps and what the caller frees. The usual path:
 * ctm_rubric_load, ctm_dataset_new and ctm_dataset_read_file, ctm_score_run,
 * then ctm_results_save, ctm_report_write or ctm_compare_run; diagnostics in
 * a ctm_ctx (continuum/error.h).
 */
#ifndef CONTINUUM_H
#define CONTINUUM_H

#include "continuum/common.h"
#include "continuum/version.h"
#include "continuum/error.h"
#include "continuum/rubric.h"
#include "continuum/responses.h"
#include "continuum/score.h"
#include "continuum/io.h"
#include "continuum/report.h"
#include "continuum/compare.h"
#include "continuum/template.h"
#include "continuum/audit.h"

#endif
