#ifndef PP_TEMPLATE_H
#define PP_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

/**
 * A small mustache-like renderer for pages and emails. Data is a jansson value (an object,
 * usually). Supported:
 *   {{name}}          value HTML-escaped (& < > " ' → entities); numbers printed, true → "true",
 *                     null/false/missing → empty. Dotted names walk objects: {{venue.name}},
 *                     and arrays by index: {{#list.0}} (true when the list is not empty);
 *                     {{.}} is the current item.
 *   {{{name}}}        value unescaped (only for HTML the program built and escaped itself)
 *   {{#name}}..{{/name}}  section: for an array, once per item with the item pushed on the
 *                     context stack; for a truthy object, once with it pushed; for other truthy
 *                     values (true, non-empty string, non-zero number), once; skipped for
 *                     false, null, missing, "", 0, [] and {}.
 *   {{^name}}..{{/name}}  inverted section: once when the section would be skipped.
 *   {{>partial}}      another template by name, rendered with the same context.
 *   {{! comment }}    nothing.
 *   {{&name}}         same as {{{name}}}.
 * Names are looked up from the innermost context outwards, as in mustache: the first context
 * that is an object holding the first part of the name wins (a key set to null shadows outer
 * ones), and the remaining dotted parts are looked up from there only. Integers print plainly,
 * reals with %g; objects and arrays print nothing. Spaces inside tags are ignored ({{ name }}).
 * A section, inverted-section, closing, comment or partial tag alone on its line (bar spaces
 * and tabs) removes that whole line, indentation and line ending included, as mustache's
 * standalone rule does; partials are not re-indented. Set-delimiter tags ({{=...=}}) are an
 * error; sections nest at most 64 deep within one template.
 * Escaping mode: templates render with HTML escaping; pp_template_render_text() renders with
 * no escaping at all for the text parts of emails.
 */

struct pp_template_set;

/**
 * Callback that returns the source of a template by name and stores its length in bytes in
 * *len, or returns NULL when unknown. The returned text need not be NUL-terminated and must
 * stay valid for the life of the set (embedded data, typically): compiled templates point
 * into it.
 */
typedef const char *(*pp_template_source_fn)(const char *name, size_t *len, void *ctx);

/**
 * New set that compiles templates on first use through @source (called under the set's lock,
 * at most once per known name; it must not call back into the set). Rendering is thread-safe
 * and reentrant. Free with pp_template_set_free().
 */
struct pp_template_set *pp_template_set_new(pp_template_source_fn source, void *ctx);

/** Frees the set and its compiled templates. */
void pp_template_set_free(struct pp_template_set *set);

/**
 * Renders template @name with @data (borrowed; may be NULL; must not change during the call),
 * HTML-escaping variables. Returns a malloc'd NUL-terminated string the caller frees, or NULL
 * when the template (or a partial) is unknown or malformed (unclosed section, bad tag): the
 * reason goes to @err (static English string) if given. Partials are resolved when reached, so
 * one inside a skipped section is never looked up; they nest at most 16 deep below @name.
 * Compile failures are remembered: the source of a set is taken to never change.
 */
char *pp_template_render(struct pp_template_set *set, const char *name, json_t *data,
                         const char **err);

/** Same as pp_template_render() without any escaping (plain-text emails). */
char *pp_template_render_text(struct pp_template_set *set, const char *name, json_t *data,
                              const char **err);

#endif
