/* evtfmt.h -- text for events and their parameters, the way `saker read`
 * prints them. Every byte from the trace goes through reader/escape. */
#ifndef SAKER_EVTFMT_H
#define SAKER_EVTFMT_H

#include <stdbool.h>
#include <stdint.h>
#include "../reader/codec.h"
#include "../reader/event.h"

/* Appends one parameter value as text. */
void evtfmt_value(struct skr_buf *out, const struct skr_param_def *def, const struct skr_value *v);
/* Appends "HH:MM:SS.nnnnnnnnn" in local time. */
void evtfmt_time(struct skr_buf *out, uint64_t ts);
/* Appends [YYYY-MM-DD(' ' or 'T')]HH:MM:SS[.nnnnnnnnn], local time, or
 * UTC ending "+0000" (libsinsp's and Falco's ISO 8601 form); "<NA>" when
 * the time cannot be broken down. */
void evtfmt_clock(struct skr_buf *out, uint64_t ts, bool date, bool ns, bool utc);
/* Appends "YYYY-MM-DD HH:MM:SS.nnnnnnnnn TZ" in local time. */
void evtfmt_datetime(struct skr_buf *out, uint64_t ts);
/* Appends the parameters as "name=value name=value" (sysdig's evt.info). */
void evtfmt_args(struct skr_buf *out, const struct skr_event *ev);
/* Appends the default line, sysdig's
 *   %evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info
 * comm is the process name (escaped here), NULL when unknown ("<NA>"). */
void evtfmt_line(struct skr_buf *out, const struct skr_event *ev, const char *comm);

#endif
