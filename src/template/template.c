#include "template/template.h"

#include "core/arena.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTIAL_DEPTH 16
/* Bounds both the compile stack and the render recursion, whatever the template says. */
#define MAX_SECTION_NESTING 64
#define SET_BUCKETS 128

static const char ERR_UNKNOWN_TEMPLATE[] = "unknown template";
static const char ERR_UNKNOWN_PARTIAL[] = "unknown partial";
static const char ERR_PARTIAL_DEPTH[] = "partials nested deeper than 16";
static const char ERR_UNTERMINATED[] = "unterminated tag";
static const char ERR_EMPTY_NAME[] = "empty tag name";
static const char ERR_BAD_NAME[] = "bad tag name";
static const char ERR_DELIMITERS[] = "set-delimiter tags are not supported";
static const char ERR_UNCLOSED[] = "unclosed section";
static const char ERR_MISMATCHED[] = "mismatched section close";
static const char ERR_STRAY_CLOSE[] = "section closed without being opened";
static const char ERR_TOO_DEEP[] = "sections nested too deeply";

enum node_kind {
    NODE_TEXT,
    NODE_ESCAPED,
    NODE_RAW,
    NODE_SECTION,
    NODE_INVERTED,
    NODE_PARTIAL,
};

struct seg {
    const char *s;
    size_t n;
};

struct tpl;

/*
 * Nodes are stored in pre-order in one array: a section's children follow it and end just
 * before nodes[end], so the tree needs no child pointers.
 */
struct node {
    enum node_kind kind;
    const char *text; /* text bytes, or the tag name as written; NUL-terminated for partials */
    size_t len;
    const struct seg *segs; /* dotted name; nsegs == 0 means "." */
    size_t nsegs;
    size_t end;
    /* Resolved on first render so later renders skip the set's lock. */
    _Atomic(struct tpl *) partial;
};

struct tpl {
    struct node *nodes;
    size_t n;
    size_t cap;
    size_t src_len;
    struct pp_arena *arena;
};

struct entry {
    struct entry *next;
    char *name;
    struct tpl *tpl; /* NULL when the source failed to compile */
    const char *err;
};

struct pp_template_set {
    pp_template_source_fn source;
    void *ctx;
    pthread_mutex_t lock;
    struct entry *buckets[SET_BUCKETS];
};

/* ---- compile ---- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
    return is_blank(c) || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static struct node *tpl_push(struct tpl *t, enum node_kind kind, const char *text, size_t len)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->nodes = pp_xrealloc(t->nodes, t->cap * sizeof(*t->nodes));
    }
    struct node *nd = &t->nodes[t->n++];
    nd->kind = kind;
    nd->text = text;
    nd->len = len;
    nd->segs = NULL;
    nd->nsegs = 0;
    nd->end = 0;
    atomic_init(&nd->partial, NULL);
    return nd;
}

static void tpl_free(struct tpl *t)
{
    if (t == NULL)
        return;
    free(t->nodes);
    pp_arena_free(t->arena);
    free(t);
}

static const char *parse_name(struct tpl *t, struct node *nd)
{
    const char *s = nd->text;
    size_t n = nd->len;
    if (n == 0)
        return ERR_EMPTY_NAME;
    for (size_t i = 0; i < n; i++) {
        if (is_space(s[i]) || s[i] == '{' || s[i] == '}')
            return ERR_BAD_NAME;
    }
    if (nd->kind == NODE_PARTIAL) {
        nd->text = pp_arena_strndup(t->arena, s, n);
        return NULL;
    }
    if (n == 1 && s[0] == '.')
        return NULL;

    size_t count = 1;
    for (size_t i = 0; i < n; i++)
        count += s[i] == '.';
    struct seg *segs = pp_arena_alloc(t->arena, count * sizeof(*segs));
    size_t start = 0, k = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        if (i == start)
            return ERR_BAD_NAME;
        segs[k].s = s + start;
        segs[k].n = i - start;
        k++;
        start = i + 1;
    }
    nd->segs = segs;
    nd->nsegs = count;
    return NULL;
}

/*
 * Mustache's standalone rule: a tag alone on its line (bar blanks) takes its indentation and
 * line ending with it, so block tags do not leave blank lines in the output.
 */
static bool standalone(const char *src, size_t len, size_t tag_start, size_t tag_end,
                       size_t *line_start, size_t *next)
{
    size_t i = tag_start;
    while (i > 0 && is_blank(src[i - 1]))
        i--;
    if (i > 0 && src[i - 1] != '\n')
        return false;
    size_t j = tag_end;
    while (j < len && is_blank(src[j]))
        j++;
    if (j + 1 < len && src[j] == '\r' && src[j + 1] == '\n')
        j += 2;
    else if (j < len && src[j] == '\n')
        j++;
    else if (j < len)
        return false;
    *line_start = i;
    *next = j;
    return true;
}

static void emit_text(struct tpl *t, const char *src, size_t from, size_t to)
{
    if (to > from)
        tpl_push(t, NODE_TEXT, src + from, to - from);
}

/* One tag of the source, as scanned. */
struct tag {
    size_t start, end;         /* the whole tag, braces included */
    size_t name, name_end;     /* its name, blanks trimmed */
    char sigil;                /* '#', '^', '/', '>', '!', '&', '{' or another character */
    enum node_kind kind;
    bool block;                /* may be standalone on its line */
    bool closing;
};

/* What a sigil makes of a tag, and how many characters it takes (0 or 1). */
struct sigil_rule {
    char sigil;
    enum node_kind kind;
    bool block;
    bool closing;
    size_t takes;
};

static const struct sigil_rule sigil_rules[] = {
    {'{', NODE_RAW, false, false, 0},     {'&', NODE_RAW, false, false, 1},
    {'#', NODE_SECTION, true, false, 1},  {'^', NODE_INVERTED, true, false, 1},
    {'/', NODE_ESCAPED, true, true, 1},   {'>', NODE_PARTIAL, true, false, 1},
    {'!', NODE_ESCAPED, true, false, 1},
};

/* Any other character is part of the name of an escaped variable. */
static const struct sigil_rule plain_variable = {'\0', NODE_ESCAPED, false, false, 0};

/* What the sigil makes of a tag; returns how many characters it takes (0 or 1). */
static size_t classify(struct tag *tg)
{
    const struct sigil_rule *r = &plain_variable;
    for (size_t i = 0; i < sizeof sigil_rules / sizeof sigil_rules[0]; i++) {
        if (sigil_rules[i].sigil == tg->sigil) {
            r = &sigil_rules[i];
            break;
        }
    }
    tg->kind = r->kind;
    tg->block = r->block;
    tg->closing = r->closing;
    return r->takes;
}

/* Scans the tag whose "{{" is at @start into @tg; returns an error or NULL. */
static const char *scan_tag(const char *src, size_t len, size_t start, struct tag *tg)
{
    tg->start = start;
    size_t p = start + 2;
    bool triple = p < len && src[p] == '{';
    size_t close_len = triple ? 3 : 2;
    if (triple)
        p++;
    const char *c = memmem(src + p, len - p, triple ? "}}}" : "}}", close_len);
    if (c == NULL)
        return ERR_UNTERMINATED;
    size_t inner_end = (size_t)(c - src);
    tg->end = inner_end + close_len;
    while (p < inner_end && is_space(src[p]))
        p++;
    tg->sigil = triple ? '{' : (p < inner_end ? src[p] : '\0');
    if (tg->sigil == '=')
        return ERR_DELIMITERS;
    p += classify(tg);
    while (p < inner_end && is_space(src[p]))
        p++;
    size_t name_end = inner_end;
    while (name_end > p && is_space(src[name_end - 1]))
        name_end--;
    tg->name = p;
    tg->name_end = name_end;
    return NULL;
}

/* Open sections while compiling: the index of each one's node. */
struct open_sections {
    size_t at[MAX_SECTION_NESTING];
    size_t depth;
};

/* Adds the node of tag @tg (not a comment) to @t; returns an error or NULL. */
static const char *add_tag(struct tpl *t, const char *src, const struct tag *tg,
                           struct open_sections *open)
{
    const char *name = src + tg->name;
    size_t name_len = tg->name_end - tg->name;
    if (tg->closing) {
        if (open->depth == 0)
            return ERR_STRAY_CLOSE;
        struct node *sec = &t->nodes[open->at[--open->depth]];
        if (sec->len != name_len || memcmp(sec->text, name, name_len) != 0)
            return ERR_MISMATCHED;
        sec->end = t->n;
        return NULL;
    }
    struct node *nd = tpl_push(t, tg->kind, name, name_len);
    const char *e = parse_name(t, nd);
    if (e != NULL)
        return e;
    if (tg->kind == NODE_SECTION || tg->kind == NODE_INVERTED) {
        if (open->depth == MAX_SECTION_NESTING)
            return ERR_TOO_DEEP;
        open->at[open->depth++] = t->n - 1;
    }
    return NULL;
}

/* Compiles @src into nodes of a new template; returns it, or NULL with *err set. */
static struct tpl *compile(const char *src, size_t len, const char **err)
{
    struct tpl *t = pp_xcalloc(1, sizeof(*t));
    t->arena = pp_arena_new();
    t->src_len = len;
    struct open_sections open = {.depth = 0};
    size_t pos = 0;
    const char *e = NULL;

    while (pos < len && e == NULL) {
        const char *o = memmem(src + pos, len - pos, "{{", 2);
        if (o == NULL) {
            emit_text(t, src, pos, len);
            break;
        }
        struct tag tg;
        if ((e = scan_tag(src, len, (size_t)(o - src), &tg)) != NULL)
            break;
        size_t text_end, next;
        if (!tg.block || !standalone(src, len, tg.start, tg.end, &text_end, &next)) {
            text_end = tg.start;
            next = tg.end;
        }
        emit_text(t, src, pos, text_end);
        pos = next;
        if (tg.sigil != '!')
            e = add_tag(t, src, &tg, &open);
    }
    if (e == NULL && open.depth > 0)
        e = ERR_UNCLOSED;
    if (e != NULL) {
        *err = e;
        tpl_free(t);
        return NULL;
    }
    return t;
}

/* ---- set ---- */

struct pp_template_set *pp_template_set_new(pp_template_source_fn source, void *ctx)
{
    struct pp_template_set *set = pp_xcalloc(1, sizeof(*set));
    set->source = source;
    set->ctx = ctx;
    pthread_mutex_init(&set->lock, NULL);
    return set;
}

void pp_template_set_free(struct pp_template_set *set)
{
    if (set == NULL)
        return;
    for (size_t b = 0; b < SET_BUCKETS; b++) {
        struct entry *e = set->buckets[b];
        while (e != NULL) {
            struct entry *next = e->next;
            tpl_free(e->tpl);
            free(e->name);
            free(e);
            e = next;
        }
    }
    pthread_mutex_destroy(&set->lock);
    free(set);
}

static size_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h % SET_BUCKETS;
}

/*
 * Compiled templates are never removed before the set is freed, so the pointer returned stays
 * valid without the lock. Compile failures are cached too: sources never change for a set.
 */
static struct tpl *set_get(struct pp_template_set *set, const char *name, const char **err)
{
    size_t b = hash_name(name);
    pthread_mutex_lock(&set->lock);
    struct entry *e = set->buckets[b];
    while (e != NULL && strcmp(e->name, name) != 0)
        e = e->next;
    if (e == NULL) {
        size_t len = SIZE_MAX;
        const char *src = set->source(name, &len, set->ctx);
        if (src == NULL) {
            pthread_mutex_unlock(&set->lock);
            *err = ERR_UNKNOWN_TEMPLATE;
            return NULL;
        }
        if (len == SIZE_MAX)
            len = strlen(src);
        e = pp_xcalloc(1, sizeof(*e));
        e->name = pp_xstrdup(name);
        e->tpl = compile(src, len, &e->err);
        e->next = set->buckets[b];
        set->buckets[b] = e;
    }
    struct tpl *t = e->tpl;
    if (t == NULL)
        *err = e->err;
    pthread_mutex_unlock(&set->lock);
    return t;
}

/* ---- render ---- */

struct buf {
    char *p;
    size_t len;
    size_t cap;
};

static void buf_reserve(struct buf *b, size_t extra)
{
    if (b->cap - b->len > extra)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra)
        cap *= 2;
    b->p = pp_xrealloc(b->p, cap);
    b->cap = cap;
}

static void buf_put(struct buf *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_escaped(struct buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        size_t rep_len;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            rep_len = 5;
            break;
        case '<':
            rep = "&lt;";
            rep_len = 4;
            break;
        case '>':
            rep = "&gt;";
            rep_len = 4;
            break;
        case '"':
            rep = "&quot;";
            rep_len = 6;
            break;
        case '\'':
            rep = "&#39;";
            rep_len = 5;
            break;
        default:
            continue;
        }
        buf_put(b, s + run, i - run);
        buf_put(b, rep, rep_len);
        run = i + 1;
    }
    buf_put(b, s + run, n - run);
}

/* Context stack lives on the C stack: rendering allocates nothing but the output. */
struct ctx {
    json_t *v;
    const struct ctx *up;
};

struct render {
    struct pp_template_set *set;
    struct buf out;
    bool escape;
    const char *err;
};

/* "list.0": a digits-only segment indexes an array, so "{{#list.0}}" means "not empty". */
static json_t *array_item(json_t *array, const char *s, size_t n)
{
    size_t index = 0;
    if (n == 0 || n > 9)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return NULL;
        index = index * 10 + (size_t)(s[i] - '0');
    }
    return json_array_get(array, index);
}

static json_t *lookup(const struct ctx *c, const struct node *nd)
{
    if (nd->nsegs == 0)
        return c->v;
    json_t *v = NULL;
    for (; c != NULL && v == NULL; c = c->up) {
        if (json_is_object(c->v))
            v = json_object_getn(c->v, nd->segs[0].s, nd->segs[0].n);
    }
    for (size_t i = 1; i < nd->nsegs && v != NULL; i++) {
        if (json_is_object(v))
            v = json_object_getn(v, nd->segs[i].s, nd->segs[i].n);
        else if (json_is_array(v))
            v = array_item(v, nd->segs[i].s, nd->segs[i].n);
        else
            v = NULL;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT:
        return json_object_size(v) > 0;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    case JSON_TRUE:
        return true;
    default:
        return false;
    }
}

static void put_value(struct render *r, const json_t *v, bool escape)
{
    char num[64];
    int n;
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_STRING:
        if (escape)
            buf_escaped(&r->out, json_string_value(v), json_string_length(v));
        else
            buf_put(&r->out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        buf_put(&r->out, num, (size_t)n);
        break;
    case JSON_REAL:
        n = snprintf(num, sizeof(num), "%g", json_real_value(v));
        buf_put(&r->out, num, (size_t)n);
        break;
    case JSON_TRUE:
        buf_put(&r->out, "true", 4);
        break;
    default:
        /* Objects and arrays print nothing rather than leak their structure into a page. */
        break;
    }
}

static int render_nodes(struct render *r, struct tpl *t, size_t begin, size_t end,
                        const struct ctx *c, int depth);

static int render_partial(struct render *r, struct node *nd, const struct ctx *c, int depth)
{
    if (depth >= MAX_PARTIAL_DEPTH) {
        r->err = ERR_PARTIAL_DEPTH;
        return -1;
    }
    struct tpl *p = atomic_load_explicit(&nd->partial, memory_order_acquire);
    if (p == NULL) {
        const char *err = NULL;
        p = set_get(r->set, nd->text, &err);
        if (p == NULL) {
            r->err = err == ERR_UNKNOWN_TEMPLATE ? ERR_UNKNOWN_PARTIAL : err;
            return -1;
        }
        atomic_store_explicit(&nd->partial, p, memory_order_release);
    }
    return render_nodes(r, p, 0, p->n, c, depth + 1);
}

static int render_nodes(struct render *r, struct tpl *t, size_t begin, size_t end,
                        const struct ctx *c, int depth)
{
    size_t i = begin;
    while (i < end) {
        struct node *nd = &t->nodes[i];
        switch (nd->kind) {
        case NODE_TEXT:
            buf_put(&r->out, nd->text, nd->len);
            break;
        case NODE_ESCAPED:
        case NODE_RAW:
            put_value(r, lookup(c, nd), r->escape && nd->kind == NODE_ESCAPED);
            break;
        case NODE_SECTION: {
            json_t *v = lookup(c, nd);
            if (json_is_array(v)) {
                for (size_t k = 0; k < json_array_size(v); k++) {
                    struct ctx inner = {json_array_get(v, k), c};
                    if (render_nodes(r, t, i + 1, nd->end, &inner, depth) != 0)
                        return -1;
                }
            } else if (truthy(v)) {
                struct ctx inner = {v, c};
                if (render_nodes(r, t, i + 1, nd->end, &inner, depth) != 0)
                    return -1;
            }
            i = nd->end;
            continue;
        }
        case NODE_INVERTED:
            if (!truthy(lookup(c, nd)) && render_nodes(r, t, i + 1, nd->end, c, depth) != 0)
                return -1;
            i = nd->end;
            continue;
        case NODE_PARTIAL:
            if (render_partial(r, nd, c, depth) != 0)
                return -1;
            break;
        }
        i++;
    }
    return 0;
}

static char *render(struct pp_template_set *set, const char *name, json_t *data, bool escape,
                    const char **err)
{
    const char *e = NULL;
    struct tpl *t = set_get(set, name, &e);
    if (t == NULL) {
        if (err != NULL)
            *err = e;
        return NULL;
    }
    struct render r = {.set = set, .escape = escape};
    /* Output is usually about as long as the source; start there to skip early regrowths. */
    buf_reserve(&r.out, t->src_len + t->src_len / 2);
    struct ctx root = {data, NULL};
    if (render_nodes(&r, t, 0, t->n, &root, 0) != 0) {
        free(r.out.p);
        if (err != NULL)
            *err = r.err;
        return NULL;
    }
    r.out.p[r.out.len] = '\0';
    return r.out.p;
}

char *pp_template_render(struct pp_template_set *set, const char *name, json_t *data,
                         const char **err)
{
    return render(set, name, data, true, err);
}

char *pp_template_render_text(struct pp_template_set *set, const char *name, json_t *data,
                              const char **err)
{
    return render(set, name, data, false, err);
}
