/* tui.h -- what the browser's files share that is not a panel: the
 * filter bar (filterbar.c) and the entry of the main loop (browse.c). */
#ifndef SAKER_TUI_TUI_H
#define SAKER_TUI_TUI_H

#include <stdbool.h>
#include <stddef.h>

struct browse;

/* Reads a line in the bottom bar (Enter accepts, Esc cancels, Left/Right,
 * Home/End, Backspace, Delete, Ctrl-U edit). redraw(ctx) repaints the
 * screen after a resize. */
bool filterbar_read(struct browse *b, const char *prompt, const char *initial, char *buf,
                    size_t len, void (*redraw)(void *ctx), void *ctx);

/* True once SIGINT, SIGTERM or SIGHUP came: every input loop ends then. */
bool browse_interrupted(void);

/* Runs the browser on a terminal already set up; returns the exit status
 * (0 on q, 128+N after signal N). */
int browse_run(struct browse *b);

#endif
