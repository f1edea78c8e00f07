/* draw.c -- the one path from text to the screen (draw.h). Traced bytes
 * are escaped by reader/escape (control bytes become \xNN), then decoded
 * as the locale's multibyte text; whatever does not decode, or decodes to
 * a character that is not printable (a bidi override, a C1 control), is
 * shown as '?'. Nothing reaches ncurses that could move the cursor, set a
 * title or change colours. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "draw.h"
#include "../reader/codec.h"
#include "../reader/escape.h"

void draw_init_colors(void)
{
    if (!has_colors())
        return;
    start_color();
    use_default_colors();
    init_pair(CP_RED, COLOR_RED, -1);
    init_pair(CP_YELLOW, COLOR_YELLOW, -1);
    init_pair(CP_CYAN, COLOR_CYAN, -1);
    init_pair(CP_GREEN, COLOR_GREEN, -1);
    init_pair(CP_MAGENTA, COLOR_MAGENTA, -1);
    init_pair(CP_BAR, COLOR_BLACK, COLOR_CYAN);
    init_pair(CP_TITLE, COLOR_BLACK, COLOR_GREEN);
    init_pair(CP_BLUE, COLOR_BLUE, -1);
    init_pair(CP_MARK, COLOR_BLACK, COLOR_YELLOW);
}

int draw_prio_attr(int prio)
{
    switch (prio) {
    case 0: case 1: case 2: return COLOR_PAIR(CP_RED) | A_BOLD;
    case 3: return COLOR_PAIR(CP_RED);
    case 4: return COLOR_PAIR(CP_YELLOW);
    case 5: return COLOR_PAIR(CP_CYAN);
    case 6: return COLOR_PAIR(CP_GREEN);
    default: return A_DIM;
    }
}

int draw_text(int y, int x, int w, const char *s, int kind, int attr)
{
    return draw_text_skip(y, x, w, s, kind, attr, 0);
}

/* TX_DB: reader/escape on the pieces between backslashes (a backslash is
 * never inside a UTF-8 sequence, so the pieces keep their characters). */
static const char *escape_db(const char *s, char *out, size_t len)
{
    struct skr_buf b = { 0 };
    for (;;) {
        const char *bs = strchr(s, '\\');
        size_t n = bs ? (size_t)(bs - s) : strlen(s);
        skr_escape_append(&b, (const uint8_t *)s, n);
        if (!bs)
            break;
        skr_put_u8(&b, '\\');
        s = bs + 1;
    }
    size_t n = b.len < len - 1 ? b.len : len - 1;
    if (b.data)
        memcpy(out, b.data, n);
    out[n] = 0;
    skr_buf_free(&b);
    return out;
}

int draw_text_skip(int y, int x, int w, const char *s, int kind, int attr, int skip)
{
    assert(kind == TX_OWN || kind == TX_RAW || kind == TX_DB);
    if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + w > COLS)
        w = COLS - x;
    static char esc[8192];
    if (!s)
        s = "";
    if (kind == TX_RAW)
        s = skr_escape_str(s, esc, sizeof esc);
    else if (kind == TX_DB)
        s = escape_db(s, esc, sizeof esc);
    wchar_t out[512];
    int used = 0;
    size_t k = 0;
    mbstate_t ms;
    memset(&ms, 0, sizeof ms);
    const char *p = s;
    size_t left = strlen(s);
    while (left && k < sizeof out / sizeof out[0] - 1) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, left, &ms);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&ms, 0, sizeof ms);
            wc = L'?';
            n = 1;
        }
        if (!iswprint((wint_t)wc))
            wc = L'?';
        int cw = wcwidth(wc);
        if (cw < 0)
            wc = L'?', cw = 1;
        p += n;
        left -= n;
        if (skip > 0) {
            skip -= cw;
            continue;
        }
        if (used + cw > w)
            break;
        out[k++] = wc;
        used += cw;
    }
    out[k] = 0;
    attr_t old;
    short pair;
    attr_get(&old, &pair, NULL);
    attrset((attr_t)attr);
    mvaddnwstr(y, x, out, (int)k);
    attr_set(old, pair, NULL);
    return used;
}

void draw_fill(int y, int x, int w, int attr)
{
    if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
        return;
    if (x + w > COLS)
        w = COLS - x;
    attr_t old;
    short pair;
    attr_get(&old, &pair, NULL);
    attrset((attr_t)attr);
    mvhline(y, x, ' ', w);
    attr_set(old, pair, NULL);
}

int draw_fmt(int y, int x, int w, int attr, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return draw_text(y, x, w, buf, TX_OWN, attr);
}

void draw_time(char *buf, size_t len, uint64_t ns, bool full)
{
    time_t secs = (time_t)(ns / 1000000000u);
    struct tm tm;
    if (!localtime_r(&secs, &tm)) {
        snprintf(buf, len, "?");
        return;
    }
    char hms[64];
    strftime(hms, sizeof hms, full ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
    if (full)
        snprintf(buf, len, "%s.%09llu", hms, (unsigned long long)(ns % 1000000000u));
    else
        snprintf(buf, len, "%s.%03llu", hms, (unsigned long long)(ns % 1000000000u / 1000000u));
}

/* ---- text views ---- */

void tv_add_str(struct textview *tv, int kind, int attr, const char *s)
{
    do {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (tv->n == tv->cap) {
            size_t cap = tv->cap ? tv->cap * 2 : 64;
            struct tv_line *nv = realloc(tv->lines, cap * sizeof *nv);
            if (!nv)
                return;
            tv->lines = nv;
            tv->cap = cap;
        }
        char *c = strndup(s, n);
        if (!c)
            return;
        tv->lines[tv->n++] = (struct tv_line){ .s = c, .kind = kind, .attr = attr };
        s = nl ? nl + 1 : NULL;
    } while (s);
}

void tv_add(struct textview *tv, int kind, int attr, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tv_add_str(tv, kind, attr, buf);
}

void tv_clear(struct textview *tv)
{
    for (size_t i = 0; i < tv->n; i++)
        free(tv->lines[i].s);
    free(tv->lines);
    *tv = (struct textview){ 0 };
}

void tv_draw(struct textview *tv, const struct panel *p)
{
    for (int r = 0; r < p->h; r++) {
        long i = tv->top + r;
        int attr = 0;
        if (i == tv->cursor && p->focused)
            attr = A_REVERSE;
        draw_fill(p->y + r, p->x, p->w, attr);
        if (i < 0 || (size_t)i >= tv->n)
            continue;
        draw_text_skip(p->y + r, p->x, p->w, tv->lines[i].s, tv->lines[i].kind,
                       attr ? attr : tv->lines[i].attr, tv->hscroll);
    }
}

int tv_key(struct textview *tv, const struct panel *p, enum cmd c)
{
    if (c == CMD_LEFT || c == CMD_RIGHT) {
        tv->hscroll = panel_hscroll(c, tv->hscroll, p->w);
        return PF_HANDLED | PF_REDRAW;
    }
    return panel_scroll(c, (long)tv->n, p->h, &tv->cursor, &tv->top) ? PF_HANDLED | PF_REDRAW : 0;
}

bool tv_search(struct textview *tv, const char *text)
{
    for (size_t k = 1; k <= tv->n; k++) {
        size_t i = ((size_t)tv->cursor + k) % tv->n;
        if (strcasestr(tv->lines[i].s, text)) {
            tv->cursor = (long)i;
            return true;
        }
    }
    return false;
}

int panel_hscroll(enum cmd c, int hscroll, int w)
{
    int step = w > 8 ? w / 2 : 4;
    hscroll += c == CMD_RIGHT ? step : c == CMD_LEFT ? -step : 0;
    return hscroll < 0 ? 0 : hscroll > 4096 ? 4096 : hscroll;
}

bool panel_scroll(enum cmd c, long n, int h, long *cursor, long *top)
{
    assert(cursor && top && n >= 0);
    if (h < 1)
        h = 1; /* a terminal a few lines high leaves a list no row */
    long cur = *cursor, page = h > 1 ? h - 1 : 1;
    switch (c) {
    case CMD_UP: cur--; break;
    case CMD_DOWN: cur++; break;
    case CMD_PGUP: cur -= page; break;
    case CMD_PGDN: cur += page; break;
    case CMD_HOME: cur = 0; break;
    case CMD_END: cur = n - 1; break;
    default: return false;
    }
    if (cur >= n)
        cur = n - 1;
    if (cur < 0)
        cur = 0;
    *cursor = cur;
    if (*top > cur)
        *top = cur;
    if (cur >= *top + h)
        *top = cur - h + 1;
    if (*top < 0)
        *top = 0;
    return true;
}
