/* filterbar.c -- the one-line editor in the bottom bar, for the filter
 * and the search text. Input is kept as the bytes typed (printable ASCII
 * and UTF-8 pass; control keys are commands, never inserted) and shown
 * through draw.c like everything else. */
#include <string.h>

#include "browse.h"
#include "draw.h"
#include "tui.h"

bool filterbar_read(struct browse *b, const char *prompt, const char *initial, char *buf,
                    size_t len, void (*redraw)(void *ctx), void *ctx)
{
    (void)b;
    snprintf(buf, len, "%s", initial ? initial : "");
    size_t n = strlen(buf), cur = n;
    curs_set(1);
    for (;;) {
        int y = LINES - 1;
        draw_fill(y, 0, COLS, COLOR_PAIR(CP_MARK));
        int px = draw_text(y, 0, COLS, prompt, TX_OWN, COLOR_PAIR(CP_MARK) | A_BOLD);
        int room = COLS - px - 1;
        /* keep the cursor visible: show the tail when the text is long */
        size_t start = cur > (size_t)(room > 0 ? room : 0) ? cur - (size_t)room : 0;
        char save = buf[cur];
        buf[cur] = 0;
        int cx = px + draw_text(y, px, room, buf + start, TX_RAW, COLOR_PAIR(CP_MARK));
        buf[cur] = save;
        draw_text(y, cx, COLS - cx, buf + cur, TX_RAW, COLOR_PAIR(CP_MARK));
        move(y, cx < COLS ? cx : COLS - 1);
        refresh();
        int ch = getch();
        if (browse_interrupted()) {
            curs_set(0);
            return false;
        }
        switch (ch) {
        case ERR:
            continue;
        case KEY_RESIZE:
            redraw(ctx);
            continue;
        case 27:
            curs_set(0);
            return false;
        case '\n': case '\r': case KEY_ENTER:
            curs_set(0);
            return true;
        case KEY_LEFT:
            if (cur)
                cur--;
            continue;
        case KEY_RIGHT:
            if (cur < n)
                cur++;
            continue;
        case KEY_HOME: case 1:
            cur = 0;
            continue;
        case KEY_END: case 5:
            cur = n;
            continue;
        case 21: /* Ctrl-U */
            n = cur = 0;
            buf[0] = 0;
            continue;
        case KEY_BACKSPACE: case 127: case 8:
            if (!cur)
                continue;
            memmove(buf + cur - 1, buf + cur, n - cur + 1);
            cur--, n--;
            continue;
        case KEY_DC:
            if (cur < n) {
                memmove(buf + cur, buf + cur + 1, n - cur);
                n--;
            }
            continue;
        default:
            if (ch < 32 || ch > 255 || n + 1 >= len)
                continue;
            memmove(buf + cur + 1, buf + cur, n - cur + 1);
            buf[cur++] = (char)ch;
            n++;
        }
    }
}
