/*
 * continuum — where a partnership of agencies stands on the continuum from
 * working alone to working as one integrated system.
 *
 * The umbrella header: include this one.
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

#endif
