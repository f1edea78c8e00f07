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

static bool grow(struct st_hash *h)
{
    size_t cap = h->cap ? h->cap * 2 : 16;
    struct st_hslot *slots = calloc(cap, sizeof *slots);
    if (!slots) {
        h->oom = true;
        return false;
    }
    for (size_t i = 0; i < h->cap; i++) {
        if (!h->slots[i].val)
            continue;
        size_t j = st_hash_slot(h->slots[i].key, cap);
        while (slots[j].val)
            j = (j + 1) & (cap - 1);
        slots[j] = h->slots[i];
    }
    free(h->slots);
    h->slots = slots;
    h->cap = cap;
    return true;
}

bool st_hash_put(struct st_hash *h, int64_t key, void *val)
{
    assert(val);
    if ((h->n + 1) * 2 > h->cap && !grow(h))
        return false;
    size_t i = st_hash_slot(key, h->cap);
    while (h->slots[i].val && h->slots[i].key != key)
        i = (i + 1) & (h->cap - 1);
    if (!h->slots[i].val)
        h->n++;
    h->slots[i] = (struct st_hslot){ key, val };
    return true;
}

void *st_hash_del(struct st_hash *h, int64_t key)
{
    if (!h->cap)
        return NULL;
    struct st_hslot *s = h->slots;
    size_t mask = h->cap - 1, i = st_hash_slot(key, h->cap);
    while (s[i].val && s[i].key != key)
        i = (i + 1) & mask;
    void *val = s[i].val;
    if (!val)
        return NULL;
    /* Shift back every entry of the run after i that may move to i. */
    for (size_t j = (i + 1) & mask; s[j].val; j = (j + 1) & mask) {
        size_t home = st_hash_slot(s[j].key, h->cap);
        /* j's entry may fill i when its home is not cyclically in (i, j]. */
        bool in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!in_range) {
            s[i] = s[j];
            i = j;
        }
    }
    s[i].val = NULL;
    h->n--;
    return val;
}

void st_hash_free(struct st_hash *h)
{
    free(h->slots);
    *h = (struct st_hash){ 0 };
}
