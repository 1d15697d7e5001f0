#ifndef PP_HTTP_JSON_WRITER_H
#define PP_HTTP_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pp_arena;

/**
 * A JSON writer for the hot answers: the text is appended straight into one growing buffer of
 * an arena (the request's), with no tree of values built first and nothing to free. The writer
 * places the commas and colons itself: callers open and close objects and arrays and write
 * keys and values in order.
 *
 *     struct pp_jw w;
 *     pp_jw_init(&w, req->arena);
 *     pp_jw_object(&w);
 *     pp_jw_kint(&w, "id", b->id);
 *     pp_jw_kstr(&w, "token", b->token);
 *     pp_jw_end(&w);
 *     pp_res_jw(req, 200, &w);
 *
 * Strings are written as given, UTF-8 passed through; the quote, the backslash and the control
 * characters (below U+0020) are escaped, the latter as \u00XX. A NULL string is written as
 * null. Nesting deeper than PP_JW_MAX_DEPTH, a value where a key is due, or a key outside an
 * object, is a programming error: the writer aborts with a message.
 */

#define PP_JW_MAX_DEPTH 32

struct pp_jw {
    struct pp_arena *arena;
    char *buf;                     /**< in @arena; NUL-terminated by pp_jw_finish */
    size_t len, cap;
    int depth;                     /**< open objects and arrays */
    bool after_key;                /**< a key was written, its value comes next */
    bool has_item[PP_JW_MAX_DEPTH + 1]; /**< something written at this level: comma first */
    bool is_object[PP_JW_MAX_DEPTH + 1];
};

/** Starts an empty document whose text will live in @arena. */
void pp_jw_init(struct pp_jw *w, struct pp_arena *arena);

/** Opens an object ('{'), as a value. */
void pp_jw_object(struct pp_jw *w);
/** Opens an array ('['), as a value. */
void pp_jw_array(struct pp_jw *w);
/** Closes the innermost object or array. */
void pp_jw_end(struct pp_jw *w);

/** The next member's key, inside an object. */
void pp_jw_key(struct pp_jw *w, const char *key);

/** A string value, escaped; NULL writes null. */
void pp_jw_str(struct pp_jw *w, const char *s);
/** A string value of @n bytes (may hold no NUL). */
void pp_jw_strn(struct pp_jw *w, const char *s, size_t n);
/** An integer value. */
void pp_jw_int(struct pp_jw *w, int64_t v);
/** true or false. */
void pp_jw_bool(struct pp_jw *w, bool v);
/** null. */
void pp_jw_null(struct pp_jw *w);
/** ISO 8601 UTC string of @t ("2026-03-14T09:30:00Z"), or null when @t is 0 (as
 *  pp_json_iso_or_null). */
void pp_jw_iso(struct pp_jw *w, int64_t t);

/* A key and its value in one call. */
void pp_jw_kstr(struct pp_jw *w, const char *key, const char *s);
void pp_jw_kint(struct pp_jw *w, const char *key, int64_t v);
void pp_jw_kbool(struct pp_jw *w, const char *key, bool v);
void pp_jw_knull(struct pp_jw *w, const char *key);
void pp_jw_kiso(struct pp_jw *w, const char *key, int64_t t);

/**
 * The document written so far, NUL-terminated, and its length in *n (without the NUL). The
 * text is owned by the arena. Aborts if an object or array is still open.
 */
const char *pp_jw_finish(struct pp_jw *w, size_t *n);

/**
 * "2026-03-14T09:30:00Z" for @t into @buf (pp_clock_format_iso's text, without gmtime and
 * strftime). Returns false, @buf untouched, outside years 1000-9999.
 */
bool pp_jw_format_iso(int64_t t, char buf[21]);

#endif
