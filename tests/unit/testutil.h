/* testutil.h -- what the unit test files share: a seeded RNG, the scratch
 * directory, a test schema with one event type per parameter type, a model
 * of a trace (the items a test writes, kept so that what a reader delivers
 * can be compared field by field), writing a model with the writer, and
 * the layout of a written file (its block boundaries). testutil.c and
 * testcheck.c implement it. */
#ifndef SAKER_TESTUTIL_H
#define SAKER_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../capture/event_table.h"
#include "../../capture/writer.h"
#include "../../reader/codec.h"
#include "../../reader/reader.h"

/* Check's ck_assert* record their location with a write(2) on every
 * success; in loops over thousands of items that is most of the run time.
 * CHECK calls into Check only when cond fails. */
#define CHECK(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

/* xorshift64*: reproducible from the seed. */
struct rng {
    uint64_t s;
};
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t n);

/* The scratch directory (made by main, removed with its contents at exit). */
void tmpdir_create(void);
void tmpdir_remove(void);
const char *tmp_path(char *buf, size_t n, const char *name);

uint8_t *slurp(const char *path, size_t *len);
/* Grows an array of size-byte elements to hold need of them. */
void *grow(void *p, size_t *cap, size_t need, size_t size);
void spit(const char *path, const void *p, size_t n);

/* The test schema: saker_evt_table (ids 0..SAKER_EVT_COUNT-1), then one type
 * per enum skr_ptype with three parameters of that type, a type with
 * parameters of unknown types, one with no parameters and one (the largest
 * id allowed) with SKR_MAX_PARAMS parameters. */
enum {
    T_PTYPE_BASE = 200,           /* + ptype */
    T_UNKNOWN = 300,
    T_NOPARAMS = 301,
    T_MAXPARAMS = SKR_MAX_EVENT_TYPES - 1,
};
const struct skr_schema *test_schema(void);
/* Every id the test schema declares, ascending. */
size_t test_type_ids(const uint16_t **ids);

/* A model of a trace: items in write order. */
enum { X_EVENT = SKR_ITEM_EVENT, X_CHECKPOINT = SKR_ITEM_CHECKPOINT, X_STATS = SKR_ITEM_STATS };

struct xevent {
    uint64_t num, ts;
    int64_t tid;
    uint32_t cpu;
    uint16_t type, nparams;
    struct skr_value *params;   /* bytes values own their ptr */
};

struct xitem {
    int kind;
    size_t ev;                  /* X_EVENT: index into events */
    uint64_t ts, first_evnum;   /* X_CHECKPOINT, X_STATS */
    uint32_t count;
    uint8_t *payload;           /* X_CHECKPOINT */
    size_t len;
    struct skw_cpu_stats *cpus; /* X_STATS */
    size_t ncpus;
};

struct gen_opts {
    uint64_t seed;
    size_t nevents;
    uint32_t block_size;        /* 0 = writer default */
    int zstd_level;
    uint64_t first_evnum;       /* 0 = 1 */
    uint64_t file_seq;
    unsigned cp_every;          /* checkpoint before every Nth event (0 = none) */
    unsigned stats_every;       /* stats after every Nth event (0 = none) */
    bool backwards;             /* times may go back slightly */
    unsigned max_step;          /* time step is 0..max_step-1 (0 = 1..2000) */
    uint64_t start_ts;          /* 0 = 1.7e18 */
    const uint16_t *types;      /* NULL = every type of the test schema */
    size_t ntypes;
    uint16_t rare_type;         /* also emitted, about once in rare_one_in */
    unsigned rare_one_in;
    unsigned max_bytes;         /* longest bytes value (0 = 300) */
    bool text;                  /* bytes values compress well */
    bool background;            /* the writer compresses on its own thread */
    bool spare_effort;          /* and tries harder when it has time */
};

struct xtrace {
    struct xevent *ev;
    size_t nev, capev;
    struct xitem *it;
    size_t nit, capit;
    uint64_t first_evnum;
};

void gen_model(struct xtrace *m, const struct gen_opts *o);
/* Appends one event of type with nparams parameters (-1: all, sometimes
 * fewer) and values drawn from r. */
void xtrace_add_event(struct xtrace *m, struct rng *r, const struct gen_opts *o, uint16_t type,
                      int nparams, uint64_t ts);
void xtrace_free(struct xtrace *m);

/* The header every test trace is written with. */
extern const char *const test_argv[3];
extern const char *const test_options[2];
#define TEST_HOSTNAME "host\x1b[31m\xff\x01-name"
void test_header(struct skw_header *h, const struct gen_opts *o);

/* Writes m to path. Calls stop at the first failure; later appends are
 * still made to check that they are refused. */
struct wres {
    bool created;
    size_t items_ok;            /* items written before the first failure */
    bool later_accepted;        /* a call after a failure returned 0 */
    int close_rc;
    char err[512];              /* the first error message */
    char close_err[512];        /* what skw_close said */
};
void write_model(const char *path, const struct xtrace *m, const struct gen_opts *o,
                 struct wres *res);
/* write_model that must succeed. */
void write_model_ok(const char *path, const struct xtrace *m, const struct gen_opts *o);

/* Compares a delivered event with the model; 0 or -1 with the difference
 * in why. */
int check_event(const struct xtrace *m, const struct skr_event *ev, char *why, size_t n);
/* Compares a delivered checkpoint or stats item with model item x. */
int check_block_item(const struct xitem *x, const struct skr_item *it, char *why, size_t n);

/* Reads everything r delivers (with its current settings), checking each
 * event against m and that none comes twice. seen[i] is set for event
 * index i (caller allocates m->nev). Returns the number of events. */
size_t read_check(struct skr_reader *r, const struct xtrace *m, bool *seen, const char *ctx);
/* Asserts that r delivers exactly m's items of the kinds in want, in
 * order, and reports no damage. */
void expect_sequence(struct skr_reader *r, const struct xtrace *m, int want, const char *ctx);

/* Block boundaries of an intact file. */
struct lblock {
    uint64_t off, len;
    int type;
    uint32_t count, meta_len;
    uint64_t first_evnum;
    int codec;
};
struct layout {
    uint64_t size, data_start, index_off, index_len, trailer_off;
    struct lblock *b;           /* data blocks */
    size_t nb;
};
void layout_of(const uint8_t *data, size_t len, struct layout *L);
void layout_free(struct layout *L);
/* Marks in want[] (m->nev) the events of the EVENTS blocks that end at or
 * before cut; returns how many. */
size_t events_before(const struct layout *L, const struct xtrace *m, uint64_t cut, bool *want);

#endif
