/* rules_yaml.c -- the YAML side of the rules loader: loads every document
 * of a file with libyaml's document API and answers the questions Falco's
 * loader asks of yaml-cpp nodes (is it null, a scalar, which value has
 * key k, does this scalar decode as a bool or an integer), with the same
 * answers yaml-cpp gives, so that the same files load or fail. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

int ry_load(struct ry_file *f, const char *name, const char *data, size_t len,
            char *err, size_t errlen)
{
    yaml_parser_t p;
    memset(f, 0, sizeof *f);
    f->name = name;
    if (!yaml_parser_initialize(&p)) {
        snprintf(err, errlen, "%s: cannot initialise the YAML parser", name);
        return -1;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    size_t cap = 0;
    for (;;) {
        yaml_document_t doc;
        if (!yaml_parser_load(&p, &doc)) {
            /* libyaml marks are 0-based; problem_mark is where it choked */
            yaml_mark_t m = p.problem_mark;
            snprintf(err, errlen, "%s:%zu:%zu: YAML syntax error: %s%s%s", name,
                     m.line + 1, m.column + 1, p.problem ? p.problem : "unknown error",
                     p.context ? " " : "", p.context ? p.context : "");
            yaml_parser_delete(&p);
            ry_free(f);
            return -1;
        }
        if (!yaml_document_get_root_node(&doc)) {
            /* only the end of the stream has no root: an empty document
             * between markers is a null scalar, skipped by the reader */
            yaml_document_delete(&doc);
            break;
        }
        if (f->ndocs == cap) {
            cap = cap ? 2 * cap : 4;
            f->docs = rl_xrealloc(f->docs, cap * sizeof *f->docs);
        }
        f->docs[f->ndocs++] = doc;
    }
    yaml_parser_delete(&p);
    return 0;
}

void ry_free(struct ry_file *f)
{
    for (size_t i = 0; i < f->ndocs; i++)
        yaml_document_delete(&f->docs[i]);
    free(f->docs);
    f->docs = NULL;
    f->ndocs = 0;
}

yaml_node_t *ry_root(struct ry_file *f, size_t i)
{
    return i < f->ndocs ? yaml_document_get_root_node(&f->docs[i]) : NULL;
}

size_t ry_len(const yaml_node_t *n)
{
    if (n->type == YAML_SEQUENCE_NODE)
        return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (n->type == YAML_MAPPING_NODE)
        return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    return 0;
}

yaml_node_t *ry_seq_at(yaml_document_t *doc, const yaml_node_t *seq, size_t i)
{
    return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}

yaml_node_t *ry_pair_key(yaml_document_t *doc, const yaml_node_t *map, size_t i)
{
    return yaml_document_get_node(doc, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *ry_pair_val(yaml_document_t *doc, const yaml_node_t *map, size_t i)
{
    return yaml_document_get_node(doc, map->data.mapping.pairs.start[i].value);
}

yaml_node_t *ry_get(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    size_t n = ry_len(map);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *k = ry_pair_key(doc, map, i);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
            return ry_pair_val(doc, map, i);
    }
    return NULL;
}

bool ry_is_null(const yaml_node_t *n)
{
    if (!n)
        return true;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *s = (const char *)n->data.scalar.value;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

bool ry_is_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE && !ry_is_null(n);
}

bool ry_is_seq(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE;
}

bool ry_is_map(const yaml_node_t *n)
{
    return n && n->type == YAML_MAPPING_NODE;
}

const char *ry_str(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "";
}

int ry_line(const yaml_node_t *n)
{
    return n ? (int)n->start_mark.line + 1 : 0;
}

int ry_col(const yaml_node_t *n)
{
    return n ? (int)n->start_mark.column + 1 : 0;
}

/* yaml-cpp accepts each spelling in lower case, UPPER case or Capitalised. */
static bool case_variant(const char *s, const char *lower)
{
    size_t n = strlen(lower);
    if (strlen(s) != n)
        return false;
    bool all_lower = true, all_upper = true, cap = true;
    for (size_t i = 0; i < n; i++) {
        char c = s[i], l = lower[i], u = (char)(l - 'a' + 'A');
        all_lower &= c == l;
        all_upper &= c == u;
        cap &= i == 0 ? c == u : c == l;
    }
    return all_lower || all_upper || cap;
}

bool ry_to_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "y", "yes", "true", "on" };
    static const char *const no[] = { "n", "no", "false", "off" };
    for (size_t i = 0; i < 4; i++) {
        if (case_variant(s, yes[i])) {
            *out = true;
            return true;
        }
        if (case_variant(s, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* yaml-cpp reads integers with a stream that skips no leading blank and
 * must reach the end (trailing blanks allowed); unsigned refuses '-'. */
bool ry_to_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || v > max)
        return false;
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (*end)
        return false;
    *out = v;
    return true;
}
