/* hitfilter.h -- the browser's hit filter: Falco's condition language
 * (filter.h, parsed by filter_parse) over the columns of the hit database,
 * translated to an SQL expression with bound values, so SQLite filters a
 * million hits without the browser reading them.
 *
 *   rule.name, rule.priority, rule.tags, rule.source, hit.output, hit.run,
 *   hit.trace, evt.time, evt.num, proc.name, proc.pid, thread.tid,
 *   proc.cmdline, user.name, container.id   -- the hit's own columns
 *   any other field (fd.name, proc.pname...) -- its value in the hit's
 *                                               output fields (Falco's
 *                                               output_fields)
 *   a bare word                              -- free text: in the output,
 *                                               the rule or the process
 *
 * rule.priority compares by severity: `rule.priority >= warning` is warning
 * and everything more severe (Falco's -o priority). evt.time takes what
 * --from does (ISO 8601, HH:MM:SS on the first hit's day, ns, +5m from the
 * first hit). Operators: = != < <= > >= contains icontains startswith
 * endswith glob iglob in exists, and/or/not, parentheses. */
#ifndef SAKER_TUI_HITFILTER_H
#define SAKER_TUI_HITFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hf_bind {
    bool is_int;
    int64_t i;
    char *s;
};

struct hitfilter {
    char *where;            /* an SQL expression; "1" when there is no filter */
    struct hf_bind *binds;  /* bound in order, ?1 ... ?n */
    size_t nbinds;
};

/* Translates text (NULL or blank = everything). time_base is the first
 * hit's time (for relative times). Returns 0, or -1 with a one-line
 * message in err ("1:6: unknown operator..."). */
int hitfilter_compile(const char *text, uint64_t time_base, struct hitfilter *out, char *err,
                      size_t errlen);
void hitfilter_free(struct hitfilter *f);

#endif
