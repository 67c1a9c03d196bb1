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
 * ctm_ctx passed to the call, when one was passed. A CTM_EUSAGE for a NULL
 * argument is said in the context only where the function's comment says so.
 *
 * Conventions of the whole API (each function's comment says where it
 * differs):
 * - Output parameters come first. On failure *out is set to NULL, except on
 *   CTM_EUSAGE (a NULL or bad argument), which may leave *out untouched.
 * - A function that returns a new object says which function frees it; every
 *   _free function accepts NULL. Getters return borrowed pointers, valid as
 *   long as the object they were taken from, which must not be freed first.
 * - Getters and index accessors do not accept a NULL handle (they read
 *   through it); an index out of range gives NULL, 0 or NaN as stated.
 * - A ctm_ctx argument may be NULL (continuum/error.h): the diagnostics are
 *   then lost, but return codes are unchanged.
 * - Strings are UTF-8, NUL-terminated; paths are passed to fopen(3) as they
 *   are. Nothing passed in is kept after a call returns unless stated.
 */
typedef enum ctm_error_code {
	CTM_OK = 0,
	CTM_EINVALID = -1,    /**< the input (rubric, responses, map) is invalid */
	CTM_ENOMEM = -2,      /**< out of memory */
	CTM_EIO = -3,         /**< a file could not be read */
	CTM_EWRITE = -4,      /**< an output could not be written */
	CTM_EUSAGE = -5,      /**< a bad argument to a library call */
	CTM_EINTERNAL = -6,   /**< an internal failure (e.g. in libharu) */
	CTM_EINTERRUPTED = -7 /**< reserved: no function returns it yet (there
				 is no cancel flag in this version) */
} ctm_error_code;

/** A short English description of an error code ("invalid input", ...),
 * "unknown error" for a value that is not a ctm_error_code. Never NULL; a
 * static string the caller must not free. */
CTM_EXTERN(const char *) ctm_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
