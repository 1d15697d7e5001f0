#ifndef PP_CORE_ERROR_H
#define PP_CORE_ERROR_H

/**
 * One error enum for every fallible function of passpro, and one structure carrying what
 * reaches the user: the field the error belongs to and a French message.
 * The HTTP layer maps codes to statuses (http/response.c), nobody else does.
 */
enum pp_err {
    PP_OK = 0,
    PP_EINVAL,     /**< malformed input (400) */
    PP_EVALIDATION,/**< well-formed input refused by a rule (422) */
    PP_EUNAUTH,    /**< not logged in (401) */
    PP_EFORBIDDEN, /**< logged in but not allowed (403) */
    PP_ENOTFOUND,  /**< unknown, or not the caller's: never reveal existence (404) */
    PP_ECONFLICT,  /**< duplicate or concurrent change (409) */
    PP_EGONE,      /**< already used or cancelled (410) */
    PP_ETOOBIG,    /**< body too large (413) */
    PP_ERATE,      /**< rate limited (429) */
    PP_EDB,        /**< database failure (500, logged) */
    PP_EINTERNAL,  /**< anything else unexpected (500, logged) */
};

#define PP_ERROR_MAX 16

/**
 * Caller-owned list of user-facing errors. Fields and messages point to static strings or to
 * strings in the request arena; the struct never owns them.
 */
struct pp_error {
    int count;
    struct {
        const char *field;   /**< "global" or a camelCase field name */
        const char *message; /**< French, one sentence */
    } items[PP_ERROR_MAX];
};

/** Empties @e. */
void pp_error_init(struct pp_error *e);

/**
 * Appends (field, message) to @e (dropped silently past PP_ERROR_MAX) and returns @code,
 * so that a check reads `return pp_error_set(e, PP_EVALIDATION, "siret", "...")`.
 * @e may be NULL.
 */
enum pp_err pp_error_set(struct pp_error *e, enum pp_err code, const char *field,
                         const char *message);

/** Short English name of @code for logs ("EINVAL"...). */
const char *pp_err_name(enum pp_err code);

#endif
