/* test_state.h -- what the state tests (test_state*.c) share: events built
 * with the recorder's real schema (capture/event_table.c), a state to
 * apply them to, and checkpoint payloads built record by record. */
#ifndef SAKER_TEST_STATE_H
#define SAKER_TEST_STATE_H

#include <check.h>

#include "../../analyzer/state.h"
#include "../../reader/codec.h"

/* One event under construction; byte values point at caller storage that
 * must live until the event is applied. */
struct tev {
    struct skr_event ev;
};

/* The event named name of the saker schema, for thread tid, all
 * parameters zero/empty. Aborts the test if the schema has no such event. */
void tev_init(struct tev *e, const char *name, int64_t tid);
void tev_s(struct tev *e, const char *param, int64_t v);
void tev_u(struct tev *e, const char *param, uint64_t v);
void tev_b(struct tev *e, const char *param, const void *p, size_t n);
void tev_str(struct tev *e, const char *param, const char *s);
/* A SOCKTUPLE / SOCKADDR value for IPv4 ("a.b.c.d") into buf (>= 13 bytes). */
size_t tev_tuple4(uint8_t *buf, const char *sip, uint16_t sport, const char *dip, uint16_t dport);
size_t tev_tuple6(uint8_t *buf, const char *sip, uint16_t sport, const char *dip, uint16_t dport);

/* Applies e to st (time advancing by 1 µs per event); returns the result. */
struct st_event tev_apply(struct state *st, struct tev *e);
/* Shorthands: one whole event, applied. */
struct st_event ev_open(struct state *st, int64_t tid, int64_t fd, int64_t dirfd, const char *name,
                        uint32_t flags);
struct st_event ev_close(struct state *st, int64_t tid, int64_t fd);
/* The parent's clone event (res = child) with Linux clone flags. */
struct st_event ev_clone_parent(struct state *st, const char *name, int64_t tid, int64_t child,
                                uint64_t flags);
/* The child's clone event (res 0) with its tid, pid and parent process. */
struct st_event ev_clone_child(struct state *st, const char *name, int64_t tid, int64_t pid,
                               int64_t ppid);
struct st_event ev_procexit(struct state *st, int64_t tid, int64_t reaper);
/* A harmless event (getpid-like "syscall") of tid: flushes what the
 * previous event deferred. */
struct st_event ev_nop(struct state *st, int64_t tid);

/* Checkpoint payload building (man/saker-trace.5 §8). */
void cp_thread(struct skr_buf *b, int64_t tid, int64_t pid, int64_t ppid, const char *comm,
               const char *cwd);
void cp_fd(struct skr_buf *b, int64_t pid, int64_t fd, char type, const char *name,
           uint64_t flags);
/* A state with init (1), a shell 100 (ppid 1, sid 100, cwd /home/u, fds
 * 0-2 on /dev/pts/0 and fd 3 /etc/app.conf with O_CLOEXEC) and its
 * second thread 101, loaded from a checkpoint. */
struct state *state_with_shell(const struct state_limits *lim);

#endif
