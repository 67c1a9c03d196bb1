/*
 * continuum — common definitions shared by every public header.
 */
#ifndef CONTINUUM_COMMON_H
#define CONTINUUM_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CONTINUUM_STATIC_DEFINE) || !defined(__GNUC__)
#define CTM_EXTERN(type) extern type
#else
#define CTM_EXTERN(type) extern __attribute__((visibility("default"))) type
#endif

/**
 * Return codes. Every function that can fail returns 0 (CTM_OK) or one of
 * these negative values; the details (file, line, column, message) are in the
 * ctm_ctx passed to the call.
 */
typedef enum ctm_error_code {
	CTM_OK = 0,
	CTM_EINVALID = -1,  /**< the input (rubric, responses, map) is invalid */
	CTM_ENOMEM = -2,    /**< out of memory */
	CTM_EIO = -3,       /**< a file could not be read */
	CTM_EWRITE = -4,    /**< an output could not be written */
	CTM_EUSAGE = -5,    /**< a bad argument to a library call */
	CTM_EINTERNAL = -6, /**< an internal failure (e.g. in libharu) */
	CTM_EINTERRUPTED = -7 /**< stopped by the caller's cancel flag */
} ctm_error_code;

/** A short English description of an error code. Never NULL; static. */
CTM_EXTERN(const char *) ctm_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
