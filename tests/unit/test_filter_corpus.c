/* test_filter_corpus.c -- every condition of the reference Falco rules
 * (the .yaml files of shared/corpus/rules/stable, read with libyaml) must parse.
 * Macros and lists are only names at this level; expanding and compiling
 * the whole corpus is the rules loader's test. Skips when the corpus is
 * absent. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "suites.h"
#include "test_filter.h"
#include "testutil.h"

#define CORPUS "/work/shared/corpus/rules/stable"

static const char *corpus_dir(void)
{
    const char *d = getenv("SAKER_RULES_CORPUS");
    return d ? d : CORPUS;
}

/* Parses every item's condition in one file; returns how many. */
static size_t parse_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp, "%s: cannot open", path);
    yaml_parser_t p;
    yaml_document_t doc;
    size_t count = 0;
    ck_assert(yaml_parser_initialize(&p));
    yaml_parser_set_input_file(&p, fp);
    for (;;) {
        ck_assert_msg(yaml_parser_load(&p, &doc), "%s: YAML error: %s", path,
                      p.problem ? p.problem : "?");
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root) {
            yaml_document_delete(&doc);
            break;
        }
        if (root->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = root->data.sequence.items.start;
                 it < root->data.sequence.items.top; it++) {
                yaml_node_t *item = yaml_document_get_node(&doc, *it);
                if (!item || item->type != YAML_MAPPING_NODE)
                    continue;
                for (yaml_node_pair_t *kv = item->data.mapping.pairs.start;
                     kv < item->data.mapping.pairs.top; kv++) {
                    yaml_node_t *k = yaml_document_get_node(&doc, kv->key);
                    yaml_node_t *v = yaml_document_get_node(&doc, kv->value);
                    if (!k || !v || k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE ||
                        strcmp((const char *)k->data.scalar.value, "condition"))
                        continue;
                    const char *cond = (const char *)v->data.scalar.value;
                    struct filter_error err;
                    struct fnode *n = filter_parse(cond, &err);
                    ck_assert_msg(n, "%s line %zu: %s\n  in: %s", path,
                                  (size_t)v->start_mark.line + 1, err.msg, cond);
                    fnode_free(n);
                    count++;
                }
            }
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&p);
    fclose(fp);
    return count;
}

START_TEST(corpus_conditions_parse)
{
    char pat[512];
    glob_t g;
    snprintf(pat, sizeof pat, "%s/*.yaml", corpus_dir());
    if (glob(pat, 0, NULL, &g) != 0) {
        fprintf(stderr, "filter corpus test skipped: no rules files at %s\n", corpus_dir());
        return;
    }
    size_t total = 0;
    for (size_t i = 0; i < g.gl_pathc; i++)
        total += parse_file(g.gl_pathv[i]);
    globfree(&g);
    /* the stable file alone has well over a hundred macros and rules */
    ck_assert_msg(total > 100, "only %zu conditions found", total);
}
END_TEST

void filter_corpus_cases(Suite *s)
{
    TCase *tc = tcase_create("filter_corpus");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, corpus_conditions_parse);
    suite_add_tcase(s, tc);
}
