/* state.c -- STUB until the state tables land: an empty state. */
#include <stdlib.h>

#include "state.h"

struct state {
    struct state_stats stats;
};

struct state *state_new(const struct state_limits *limits)
{
    (void)limits;
    return calloc(1, sizeof(struct state));
}
void state_free(struct state *st) { free(st); }
int state_load_checkpoint(struct state *st, const uint8_t *payload, size_t len, bool replace,
                          char *err, size_t errlen)
{
    (void)st; (void)payload; (void)len; (void)replace; (void)err; (void)errlen;
    return 0;
}
void state_apply(struct state *st, const struct skr_event *ev, struct st_event *out)
{
    st->stats.events++;
    *out = (struct st_event){ .ev = ev, .fdnum = -1 };
}
struct st_thread *state_thread(struct state *st, int64_t tid) { (void)st; (void)tid; return NULL; }
struct st_thread *state_process(struct state *st, const struct st_thread *th) { (void)st; (void)th; return NULL; }
struct st_thread *state_parent(struct state *st, const struct st_thread *th) { (void)st; (void)th; return NULL; }
struct st_thread *state_ancestor(struct state *st, const struct st_thread *th, int level) { (void)st; (void)th; (void)level; return NULL; }
struct st_thread *state_session_leader(struct state *st, const struct st_thread *th) { (void)st; (void)th; return NULL; }
struct st_fd *state_fd(struct state *st, const struct st_thread *th, int64_t fd) { (void)st; (void)th; (void)fd; return NULL; }
void state_foreach_fd(struct state *st, const struct st_thread *th,
                      void (*fn)(void *ctx, const struct st_fd *fd), void *ctx) { (void)st; (void)th; (void)fn; (void)ctx; }
size_t state_nfds(struct state *st, const struct st_thread *th) { (void)st; (void)th; return 0; }
struct st_container *state_container(struct state *st, const char *id) { (void)st; (void)id; return NULL; }
struct st_user *state_user(struct state *st, uint32_t uid, const char *cid) { (void)st; (void)uid; (void)cid; return NULL; }
struct st_group *state_group(struct state *st, uint32_t gid, const char *cid) { (void)st; (void)gid; (void)cid; return NULL; }
void state_foreach_thread(struct state *st, void (*fn)(void *ctx, struct st_thread *th), void *ctx) { (void)st; (void)fn; (void)ctx; }
const struct state_stats *state_stats(const struct state *st) { return &st->stats; }
