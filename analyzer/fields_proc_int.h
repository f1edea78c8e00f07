/* fields_proc_int.h -- what fields_proc.c (the process itself, the
 * table), fields_proc_thread.c (thread.*, thread and fd counts) and
 * fields_proc_tree.c (parent, ancestors, session, process group) share. Private to those two files and their tests. */
#ifndef SAKER_FIELDS_PROC_INT_H
#define SAKER_FIELDS_PROC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fields.h"

/* The thread of the event, or NULL. */
struct st_thread *fproc_thread(const struct fld_ctx *c);
/* The main thread of th's process; th itself when it is not known. */
const struct st_thread *fproc_process_of(const struct fld_ctx *c, const struct st_thread *th);
/* The process of the event, or NULL. */
const struct st_thread *fproc_process(const struct fld_ctx *c);
/* The parent process of the event's process, or NULL. */
const struct st_thread *fproc_parent(const struct fld_ctx *c);

/* n bytes (plus a NUL) in the event's scratch arena, or NULL. */
char *fproc_scratch(const struct fld_ctx *c, size_t n);
/* Adds s as a string value unless it is NULL. */
void fproc_str(struct fvals *o, const char *s);
/* Adds a FT_ABSTIME or FT_RELTIME value. */
void fproc_time(struct fvals *o, uint8_t type, uint64_t ns);
/* The argument as a number: an index, or a key made of digits. */
bool fproc_arg_number(const struct field_ref *r, int64_t *n);

/* NUL-separated lists (state.h: args, env, cgroups, labels). */
bool fproc_list_nth(const char *list, size_t len, size_t n, const char **s, size_t *slen);
size_t fproc_list_count(const char *list, size_t len);
/* Value builders shared by the process and its ancestors. */
/* The entries of a list joined by spaces (in scratch). */
void fproc_put_list(const struct fld_ctx *c, struct fvals *o, const char *list, size_t len);
void fproc_put_cmdline(const struct fld_ctx *c, struct fvals *o, const struct st_thread *th);
void fproc_put_args(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p);
void fproc_put_env(const struct fld_ctx *c, struct fvals *o, const struct st_thread *p);
/* NAME's value in p's environment (libs's get_env: surrounding spaces
 * stripped); "" and false when absent or empty. */
bool fproc_env_get(const struct st_thread *p, const char *name, const char **val, size_t *vlen);

/* Capability names of the set bits joined by spaces into buf (always
 * NUL-ended); returns the length. */
size_t fproc_caps_format(uint64_t caps, char *buf, size_t len);

/* Extractors of fields_proc_thread.c. */
void fproc_x_nthreads(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_nchilds(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_fdopencount(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_stdin_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_stdout_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_stderr_type(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_stdin_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_stdout_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_stderr_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_tid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_vtid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_ismain(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_cap_permitted(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_cap_effective(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_cap_inheritable(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_exectime(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_cgroups(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_cgroup(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);

/* Extractors of fields_proc_tree.c. */
void fproc_x_ppid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_pname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_pcmdline(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_pexe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_pexepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_pvpid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_apid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_aname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_aexe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_aexepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_acmdline(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_aargs(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_aenv(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_loginshellid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_sid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_sname(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_sid_exe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_sid_exepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_is_sid_leader(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_pgid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_pgid_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_pgid_exe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_pgid_exepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_is_pgid_leader(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_vpgid(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_vpgid_name(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_vpgid_exe(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_vpgid_exepath(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);
void fproc_x_is_vpgid_leader(const struct field_ref *r, const struct fld_ctx *c, struct fvals *o);

#endif
