/* cmd_fields.c -- `saker fields`: every field a filter, a rule or an
 * output format can name, with its Falco type and meaning, grouped by
 * class (like `sysdig -l`), as text or JSON lines.
 *
 * The list is the registry itself (fields.h), so it can never disagree
 * with what the filter compiler accepts. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fields.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saker fields [--json] [CLASS|PATTERN]\n\n"
            "List the fields that filters, rules and output formats can use, with\n"
            "their Falco type and meaning, grouped by class (evt, proc, thread, fd,\n"
            "user, group, container, k8s...). A field shown as NAME[N] takes an\n"
            "index, NAME[KEY] a key, NAME.KEY a key after a dot; \"(optional)\"\n"
            "marks an argument that may be left out.\n\n"
            "CLASS lists one class (proc); PATTERN is a field name or its start\n"
            "(proc.exe lists proc.exe, proc.exepath, proc.exe_ino...), or a shell\n"
            "pattern (\"*.name\", 'proc.is_*').\n\n"
            "options:\n"
            "      --json   one JSON object per field and line: name, class, type,\n"
            "               arg (none, optional, required), arg_kind, flags, desc\n"
            "  -h, --help   this text\n\n"
            "examples:\n"
            "  saker fields                     # every field\n"
            "  saker fields proc                # the proc class\n"
            "  saker fields 'proc.a*'           # the ancestor fields\n"
            "  saker fields --json container    # container fields as JSON lines\n\n"
            "Exit status: 0 ok, 2 bad usage or nothing matches.\n");
}

/* The class of a field: its name up to the first dot ("fs.path.name" is
 * in class "fs"). */
static size_t class_len(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot ? (size_t)(dot - name) : strlen(name);
}

static bool same_class(const char *a, const char *b)
{
    size_t la = class_len(a);
    return la == class_len(b) && strncmp(a, b, la) == 0;
}

static bool matches(const struct field_def *d, const char *pattern)
{
    if (!pattern)
        return true;
    if (strpbrk(pattern, "*?["))
        return fnmatch(pattern, d->name, 0) == 0;
    size_t pl = strlen(pattern);
    if (!strchr(pattern, '.') && class_len(d->name) == pl && !strncmp(d->name, pattern, pl))
        return true;
    return strncmp(d->name, pattern, pl) == 0;
}

static const char *arg_kind(uint16_t flags)
{
    if ((flags & FF_ARG_INDEX) && (flags & FF_ARG_KEY))
        return "index|key";
    if (flags & FF_ARG_INDEX)
        return "index";
    if (flags & (FF_ARG_KEY | FF_ARG_DOT))
        return "key";
    return NULL;
}

static const char *arg_need(uint16_t flags)
{
    return flags & FF_ARG_REQUIRED ? "required" : flags & FF_ARG_ALLOWED ? "optional" : "none";
}

/* "proc.aname[N]", "container.mount.dest[N|KEY]", "evt.arg.NAME" */
static void display_name(const struct field_def *d, char *buf, size_t len)
{
    const char *kind = arg_kind(d->flags);
    if (!kind || !(d->flags & (FF_ARG_REQUIRED | FF_ARG_ALLOWED)))
        snprintf(buf, len, "%s", d->name);
    else if (d->flags & FF_ARG_DOT)
        snprintf(buf, len, "%s.%s", d->name, !strcmp(d->name, "evt.arg") ? "NAME" : "KEY");
    else
        snprintf(buf, len, "%s[%s]", d->name,
                 !strcmp(kind, "index") ? "N" : !strcmp(kind, "key") ? "KEY" : "N|KEY");
}

static void print_text(const struct field_def *d)
{
    char name[128];
    display_name(d, name, sizeof name);
    const char *desc = d->desc ? d->desc : "";
    const char *falco_type = d->falco_type ? d->falco_type : "";
    bool optional = (d->flags & FF_ARG_ALLOWED) && !(d->flags & FF_ARG_REQUIRED) &&
                    arg_kind(d->flags);
    printf("  %-42s %-8s %s%s%s\n", name, falco_type, desc,
           optional ? " (optional)" : "", d->flags & FF_DEPRECATED ? " [deprecated]" : "");
}

static int print_json(const struct field_def *d)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -1;
    char cls[64];
    snprintf(cls, sizeof cls, "%.*s", (int)class_len(d->name), d->name);
    cJSON_AddStringToObject(o, "name", d->name);
    cJSON_AddStringToObject(o, "class", cls);
    cJSON_AddStringToObject(o, "type", d->falco_type ? d->falco_type : "");
    cJSON_AddStringToObject(o, "arg", arg_need(d->flags));
    const char *kind = arg_kind(d->flags);
    if (kind && (d->flags & (FF_ARG_REQUIRED | FF_ARG_ALLOWED)))
        cJSON_AddStringToObject(o, "arg_kind", kind);
    cJSON *flags = cJSON_AddArrayToObject(o, "flags");
    static const struct { uint16_t bit; const char *name; } names[] = {
        { FF_FILTER_ONLY, "filter_only" }, { FF_NO_RHS, "no_rhs" },
        { FF_LIST, "list" },               { FF_DEPRECATED, "deprecated" },
        { FF_ARG_DOT, "arg_dot" },
    };
    for (size_t i = 0; flags && i < sizeof names / sizeof names[0]; i++)
        if (d->flags & names[i].bit)
            cJSON_AddItemToArray(flags, cJSON_CreateString(names[i].name));
    cJSON_AddStringToObject(o, "desc", d->desc ? d->desc : "");
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        return -1;
    puts(s);
    free(s);
    return 0;
}

int cmd_fields(int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool json = false;
    int c;
    optind = 1;
    opterr = 0; /* errors are ours: one line, see cli_bad_option */
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_bad_option("fields", c, argv);
        }
    }
    if (argc - optind > 1) {
        cli_error("fields: one CLASS or PATTERN at most, not %d (try: saker fields --help)",
                  argc - optind);
        return EXIT_UNUSABLE;
    }
    const char *pattern = optind < argc ? argv[optind] : NULL;

    /* Classes in the order they first appear, each listed whole: the
     * registry keeps thread.* inside the proc table, for instance. */
    size_t n = fields_count(), shown = 0;
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done) {
        cli_error("fields: out of memory");
        return EXIT_UNUSABLE;
    }
    int status = EXIT_OK;
    for (size_t i = 0; i < n && status == EXIT_OK; i++) {
        const struct field_def *first = fields_at(i);
        if (done[i] || !first || !first->name)
            continue;
        bool header = false;
        for (size_t j = i; j < n; j++) {
            const struct field_def *d = fields_at(j);
            if (done[j] || !d || !d->name || !same_class(first->name, d->name))
                continue;
            done[j] = true;
            if (!matches(d, pattern))
                continue;
            if (json) {
                if (print_json(d) < 0) {
                    cli_error("fields: out of memory");
                    status = EXIT_UNUSABLE;
                    break;
                }
            } else {
                if (!header)
                    printf("%s%.*s\n", shown ? "\n" : "", (int)class_len(d->name), d->name);
                header = true;
                print_text(d);
            }
            shown++;
        }
    }
    free(done);
    if (status == EXIT_OK && !shown) {
        cli_error("fields: no field matches '%s' (try: saker fields)", pattern ? pattern : "");
        return EXIT_UNUSABLE;
    }
    if (fflush(stdout) != 0) {
        cli_error("fields: writing output: %s", strerror(errno));
        return EXIT_UNUSABLE;
    }
    return status;
}
