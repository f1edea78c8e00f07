/* state_hash.c -- st_hash: an int64 key -> pointer map for the state's
 * tables (threads by tid, fds by number, definitions by address).
 *
 * Open addressing with linear probing; the table doubles at 50% load, so
 * probe runs stay short. Removal shifts the following run back instead of
 * leaving tombstones (Knuth vol. 3, 6.4 algorithm R): a replay removes as
 * many threads and fds as it adds, and tombstones would fill the table. */
#include <assert.h>
#include <stdlib.h>

#include "state_int.h"

static size_t slot_of(int64_t key, size_t cap)
{
    /* Fibonacci hashing spreads dense keys (tids, fds) over the table. */
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32 ^ h) & (cap - 1);
}

void *st_hash_get(const struct st_hash *h, int64_t key)
{
    if (!h->cap)
        return NULL;
    for (size_t i = slot_of(key, h->cap);; i = (i + 1) & (h->cap - 1)) {
        if (!h->vals[i])
            return NULL;
        if (h->keys[i] == key)
            return h->vals[i];
    }
}

static bool grow(struct st_hash *h)
{
    size_t cap = h->cap ? h->cap * 2 : 16;
    int64_t *keys = calloc(cap, sizeof *keys);
    void **vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        h->oom = true;
        return false;
    }
    for (size_t i = 0; i < h->cap; i++) {
        if (!h->vals[i])
            continue;
        size_t j = slot_of(h->keys[i], cap);
        while (vals[j])
            j = (j + 1) & (cap - 1);
        keys[j] = h->keys[i];
        vals[j] = h->vals[i];
    }
    free(h->keys);
    free(h->vals);
    h->keys = keys;
    h->vals = vals;
    h->cap = cap;
    return true;
}

bool st_hash_put(struct st_hash *h, int64_t key, void *val)
{
    assert(val);
    if ((h->n + 1) * 2 > h->cap && !grow(h))
        return false;
    size_t i = slot_of(key, h->cap);
    while (h->vals[i] && h->keys[i] != key)
        i = (i + 1) & (h->cap - 1);
    if (!h->vals[i])
        h->n++;
    h->keys[i] = key;
    h->vals[i] = val;
    return true;
}

void *st_hash_del(struct st_hash *h, int64_t key)
{
    if (!h->cap)
        return NULL;
    size_t mask = h->cap - 1, i = slot_of(key, h->cap);
    while (h->vals[i] && h->keys[i] != key)
        i = (i + 1) & mask;
    void *val = h->vals[i];
    if (!val)
        return NULL;
    /* Shift back every entry of the run after i that may move to i. */
    for (size_t j = (i + 1) & mask; h->vals[j]; j = (j + 1) & mask) {
        size_t home = slot_of(h->keys[j], h->cap);
        /* j's entry may fill i when its home is not cyclically in (i, j]. */
        bool in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!in_range) {
            h->keys[i] = h->keys[j];
            h->vals[i] = h->vals[j];
            i = j;
        }
    }
    h->vals[i] = NULL;
    h->n--;
    return val;
}

void st_hash_free(struct st_hash *h)
{
    free(h->keys);
    free(h->vals);
    *h = (struct st_hash){ 0 };
}
