/* test_filter_ops.c -- every operator on every type it accepts, on the
 * test fields of test_filter_fields.c: strings, bytes, signed and
 * unsigned numbers, booleans, IPv4/IPv6 addresses and networks, values
 * missing, list-valued and set-valued fields, transformers, and
 * field-to-field comparisons. */
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "test_filter.h"
#include "testutil.h"

#define T(c) ck_assert_msg(tf_eval(c), "'%s' should match", c)
#define F(c) ck_assert_msg(!tf_eval(c), "'%s' should not match", c)

START_TEST(ops_strings)
{
    T("proc.name = cat");
    F("proc.name = dog");
    F("proc.name = ca");
    F("proc.name = catt");
    T("proc.name == cat");
    T("proc.name != dog");
    F("proc.name != cat");
    /* ordering takes a number on the right (Falco's grammar), so strings
     * are ordered only against other fields */
    T("proc.name > val(proc.pname)");
    F("proc.name <= val(proc.pname)");
    T("proc.name >= val(proc.name)");
    tf_parse_err("proc.name < dog", "1:13: expected a number after '<', found 'dog'");
    T("fd.name contains passwd");
    T("fd.name contains /");
    T("fd.name contains \"\"");
    F("fd.name contains xyz");
    /* matches at either end, the whole value, after a false start on the
     * first byte; never past the end */
    T("fd.name contains /etc");
    T("fd.name contains swd");
    T("fd.name contains d");
    T("fd.name contains /etc/passwd");
    T("fd.name contains ss");
    F("fd.name contains sx");
    F("fd.name contains /etc/passwd/");
    F("fd.name contains dd");
    T("fd.name icontains PassWD");
    F("fd.name icontains PassWX");
    T("fd.name startswith /etc");
    F("fd.name startswith etc");
    T("fd.name endswith passwd");
    F("fd.name endswith /etc");
    T("fd.name bstartswith 2f657463");
    T("fd.name bcontains 7061737377");
    F("fd.name bcontains 7061737378");
    T("proc.name in (dog, cat)");
    T("proc.name in (\"cat\")");
    F("proc.name in (dog, cats, ca)");
    F("proc.name in ()");
    T("proc.name intersects (cat)");
    F("proc.name intersects (dog)");
    T("proc.args = '-n /etc/passwd'");
    tf_ev.args = "a\tb\"c";
    T("proc.args = \"a\\tb\\\"c\"");
    T("proc.args = 'a\\x09b\"c'");
}
END_TEST

START_TEST(ops_glob)
{
    T("fd.name glob /etc/*");
    T("fd.name glob *");
    T("fd.name glob /*/passwd");
    T("fd.name glob /etc/p?ss[a-z]d");
    T("fd.name glob /etc/[!x]asswd");
    T("fd.name glob /etc/[^x]asswd");
    T("fd.name glob */*w*");
    F("fd.name glob /etc/[!p]*");
    F("fd.name glob *.conf");
    F("fd.name glob /etc");
    F("fd.name glob /ETC/*");
    T("fd.name iglob /ETC/PASS*");
    F("fd.name iglob /ETC/X*");
    tf_ev.fdname = "/tmp/a*b";
    T("fd.name glob '/tmp/a\\\\*b'");
    T("fd.name glob /tmp/a*b");
    tf_ev.fdname = "/tmp/axb";
    F("fd.name glob '/tmp/a\\\\*b'");
    T("fd.name glob /tmp/a*b");
    tf_ev.fdname = "";
    T("fd.name glob *");
    F("fd.name glob ?");
}
END_TEST

START_TEST(ops_regex)
{
    T("fd.name regex '/etc/p.*'");
    T("fd.name regex '/(etc|usr)/[a-z]+'");
    F("fd.name regex etc"); /* anchored at both ends */
    F("fd.name regex '/etc'");
    T("fd.name regex '.*passwd'");
    T("fd.name regex '.*'");
    T("fd.name regex '/etc/pas{2}wd'");
    T("fd.name regex oneof ('/etc/.*', '/usr/.*')");
    F("fd.name regex oneof ('/etc/.*', '.*wd')");
    T("fd.name regex allof ('/etc/.*', '.*wd')");
    tf_ev.fdname = "a|b";
    F("fd.name regex 'x|a'"); /* the whole alternation is anchored */
    T("fd.name regex 'x|a[|]b'");
    /* RE2 takes a '{' that starts no repetition literally; so do we */
    tf_ev.fdname = "p-12{3";
    T("fd.name regex 'p-[0-9]{2}[{]3'");
    T("fd.name regex 'p-[0-9]{2,4}{3'");
    T("fd.name regex 'p-[0-9]{1,}{3'");
    T("fd.name regex 'p-12{[0-9]'");
    T("fd.name regex 'p-12\\\\{3'");
    tf_ev.fdname = "";
    T("fd.name regex 'x*'");
    tf_ev.fdname = NULL;
    F("fd.name regex '.*'");
    tf_compile_err("fd.name regex '(a'", "1:15: invalid regular expression '(a': Unmatched ( or \\(");
    tf_compile_err("fd.name regex val(proc.name)", "1:9: operator 'regex' needs constants on the right");
    tf_compile_err("fd.name regex anyof (ok, 'a[')", "1:22: invalid regular expression 'a[': Unmatched [, [^, [:, [., or [=");
}
END_TEST

START_TEST(ops_pmatch)
{
    T("fd.name pmatch (/etc)");
    T("fd.name pmatch (/etc/)");
    T("fd.name pmatch (/usr, /etc/passwd)");
    F("fd.name pmatch (/et)");
    F("fd.name pmatch (/etc/passwd/x)");
    F("fd.name pmatch (/etc/pass)");
    T("fd.name pmatch (/e*)");
    T("fd.name pmatch (/*/passwd)");
    F("fd.name pmatch (/*/shadow)");
    T("fd.name pmatch (sys_dirs)");
    T("fd.name pmatch (/)");
    T("fd.name pmatch ('')");
    T("fd.name startswith '' and fd.name endswith \"\"");
    F("fd.name pmatch ()");
    tf_ev.fdname = "/etc//passwd";
    T("fd.name pmatch (/etc/passwd)");
    tf_ev.fdname = "/etc_x/passwd";
    F("fd.name pmatch (/etc)");
    F("fd.name pmatch (sys_dirs)");
}
END_TEST

START_TEST(ops_bytes)
{
    T("evt.buffer contains hello");
    T("evt.buffer bcontains 68656c6c6f");
    T("evt.buffer bcontains 68656C6C6FFF");
    F("evt.buffer bcontains 68656c6c6f00");
    T("evt.buffer bstartswith 0102");
    F("evt.buffer bstartswith 02");
    T("evt.buffer startswith \"\\x01\\x02h\"");
    T("evt.buffer endswith \"o\\xff\"");
    T("evt.buffer = \"\\x01\\x02hello\\xff\"");
    T("evt.buffer != \"\\x01\\x02hello\"");
    tf_compile_err("evt.buffer bcontains 6", "1:22: '6' is not a hex byte string (odd number of digits)");
    tf_compile_err("evt.buffer bcontains zz", "1:22: 'zz' is not a hex byte string");
    tf_compile_err("evt.buffer glob x", "1:12: operator 'glob' needs a string; 'evt.buffer' is a byte buffer");
    tf_compile_err("evt.buffer icontains x",
                   "1:12: operator 'icontains' needs a string; 'evt.buffer' is a byte buffer");
}
END_TEST

START_TEST(ops_numbers)
{
    T("evt.num = 42");
    T("evt.num = 0x2a");
    T("evt.num = 0X2A");
    F("evt.num != 42");
    T("evt.num > 41");
    F("evt.num > 42");
    T("evt.num >= 42");
    T("evt.num < 43");
    F("evt.num < 42");
    T("evt.num <= 42");
    T("evt.num in (1, 42, 100)");
    F("evt.num in (1, 2, 100)");
    T("evt.num intersects (42)");
    T("evt.res < 0");
    T("evt.res = -2");
    T("evt.res > -3");
    T("evt.res in (5, -2)");
    F("evt.res in (5, 2)");
    tf_ev.num = UINT64_MAX;
    T("evt.num = 18446744073709551615");
    T("evt.num > 9223372036854775807");
    tf_compile_err("evt.num = abc", "1:11: 'abc' is not an unsigned number");
    tf_compile_err("evt.num = -1", "1:11: '-1' is not an unsigned number");
    tf_compile_err("evt.num = 18446744073709551616", "1:11: '18446744073709551616' is not an unsigned number");
    tf_compile_err("evt.res = 1.5", "1:11: '1.5' is not a number");
    tf_compile_err("evt.num in (1, x)", "1:16: 'x' is not an unsigned number");
    tf_compile_err("evt.num contains 4", "1:9: operator 'contains' needs a string or bytes; 'evt.num' is a number");
    tf_compile_err("evt.num glob 4", "1:9: operator 'glob' needs a string; 'evt.num' is a number");
    tf_compile_err("evt.num pmatch (4)", "1:9: operator 'pmatch' needs a string; 'evt.num' is a number");
    tf_compile_err("evt.num regex 4", "1:9: operator 'regex' needs a string; 'evt.num' is a number");
}
END_TEST

/* A field whose type depends on the event (evt.rawarg.NAME). */
START_TEST(ops_dynamic)
{
    T("evt.dyn = -2");
    T("evt.dyn < 0");
    T("evt.dyn > -3");
    T("evt.dyn in (5, -2)");
    F("evt.dyn in (5, 2, abc)");
    F("evt.dyn = abc");
    T("evt.dyn != abc");
    F("evt.dyn > 18446744073709551615");
    tf_ev.res = 7;
    T("evt.dyn >= 0x7");
    T("evt.dyn < 18446744073709551615");
    tf_ev.dynstr = "abc";
    T("evt.dyn = abc");
    F("evt.dyn = 5");
    T("evt.dyn > 5");
    T("evt.dyn in (x, abc)");
    tf_compile_err("evt.dyn contains x", "1:9: operator 'contains' needs a string or bytes; 'evt.dyn' is of a type that depends on the event");
}
END_TEST

START_TEST(ops_modifiers)
{
    T("proc.name = anyof (dog, cat)");
    F("proc.name = anyof (dog)");
    F("proc.name = anyof ()");
    F("proc.name = allof ()");
    F("proc.name = oneof ()");
    T("fd.name startswith oneof (/etc, /usr)");
    F("fd.name startswith oneof (/etc, /et)");
    T("fd.name startswith anyof (/etc, /et)");
    T("fd.name contains allof (etc, passwd)");
    F("fd.name contains allof (etc, shadow)");
    T("fd.name != allof (/a, /b)");
    F("fd.name != allof (/a, /etc/passwd)");
    T("fd.name icontains anyof (PASSWD)");
    T("fd.name glob oneof (/etc/*, *.conf)");
    F("fd.name glob oneof (/etc/*, *wd)");
    T("fd.name bstartswith anyof (00, 2f)");
    T("proc.name = anyof (shell_binaries, cat)");
    T("evt.num = anyof (1, 42)");
    F("evt.num != allof (1, 42)");
    T("evt.num != allof (1, 2)");
    T("proc.aname = oneof (sshd, nope)");
    T("proc.aname = allof (sshd)");
    tf_compile_err("evt.num = anyof (1, x)", "1:21: 'x' is not an unsigned number");
    tf_compile_err("evt.num contains anyof (1)", "1:9: operator 'contains' needs a string or bytes; 'evt.num' is a number");
    tf_ev.fdname = NULL;
    F("fd.name != allof (/a, /b)");
    T("not fd.name != allof (/a, /b)");
}
END_TEST

START_TEST(ops_bool)
{
    T("evt.is_open_read = true");
    F("evt.is_open_read = false");
    T("evt.is_open_read != false");
    T("evt.is_open_read in (true)");
    tf_ev.isread = 0;
    T("evt.is_open_read = false");
    tf_ev.isread = -1;
    F("evt.is_open_read = false");
    F("evt.is_open_read != true");
    tf_compile_err("evt.is_open_read = yes", "1:20: 'yes' is not a boolean (true or false)");
    tf_compile_err("evt.is_open_read > 0", "1:18: operator '>' needs a number or a string; 'evt.is_open_read' is a boolean");
}
END_TEST

START_TEST(ops_ip)
{
    T("fd.sip = 10.1.2.3");
    F("fd.sip = 10.1.2.4");
    T("fd.sip != 10.1.2.4");
    F("fd.sip != 10.1.2.3");
    T("fd.sip = 10.1.2.0/24");
    T("fd.net = 10.0.0.0/8");
    T("fd.net = 10.1.2.3");
    F("fd.net = 11.0.0.0/8");
    T("fd.net = 11.0.0.0/7");
    F("fd.net = 12.0.0.0/7");
    T("fd.net = 0.0.0.0/0");
    T("fd.net != 192.168.0.0/16");
    T("fd.sip in (1.2.3.4, 10.1.2.3)");
    F("fd.sip in (1.2.3.4, 10.1.2.2)");
    T("fd.net in (private_nets)");
    T("fd.net intersects (192.168.0.0/16, 10.0.0.0/8)");
    F("fd.net in (192.168.0.0/16)");
    F("fd.sip = ::1");
    F("fd.sip in ()");
    tf_ev.sip = "2001:db8::1";
    T("fd.sip = 2001:db8::1");
    T("fd.sip = '2001:db8:0::1'");
    F("fd.sip = 2001:db8::2");
    T("fd.net = 2001:db8::/32");
    T("fd.net = 2001:db8::/33");
    F("fd.net = 2001:db9::/32");
    F("fd.net = 10.0.0.0/8");
    F("fd.net in (private_nets)");
    tf_ev.sip = NULL;
    F("fd.net != 10.0.0.0/8");
    T("not fd.net = 10.0.0.0/8");
    tf_compile_err("fd.sip = abc", "1:10: 'abc' is not an IP address");
    tf_compile_err("fd.net = 10.0.0.0/33", "1:10: '10.0.0.0/33' is not an IP network (a.b.c.d/n)");
    tf_compile_err("fd.net = 10.0.0.0/x", "1:10: '10.0.0.0/x' is not an IP network (a.b.c.d/n)");
    tf_compile_err("fd.net = ::/129", "1:10: '::/129' is not an IP network (a.b.c.d/n)");
    tf_compile_err("fd.sip contains 10", "1:8: operator 'contains' needs a string or bytes; 'fd.sip' is an IP address");
    tf_compile_err("fd.sip in (10.0.0.1, bogus)", "1:22: 'bogus' is not an IP address");
}
END_TEST

/* Falco: a check on a field without a value is false, whatever the
 * operator, except exists; not inverts the whole check. */
START_TEST(ops_missing)
{
    tf_ev.fdname = NULL;
    static const char *const never[] = {
        "fd.name = x", "fd.name != x", "fd.name < 5", "fd.name > 5", "fd.name contains x",
        "fd.name icontains x", "fd.name startswith /", "fd.name endswith x", "fd.name glob *",
        "fd.name in (x)", "fd.name intersects (x)", "fd.name pmatch (/)", "fd.name exists",
        "fd.name bcontains 00", "tolower(fd.name) != x", "len(fd.name) = 0",
        "basename(fd.name) != x", "fd.name = val(proc.name)", "proc.name = val(fd.name)",
        "proc.name != val(fd.name)",
    };
    for (size_t i = 0; i < sizeof never / sizeof *never; i++) {
        char c[128];
        F(never[i]);
        snprintf(c, sizeof c, "not %s", never[i]);
        T(c);
    }
    tf_ev.has_res = false;
    F("evt.res != 0");
    F("evt.res < 100");
    F("evt.res exists");
    T("proc.name exists");
    T("evt.num exists");
}
END_TEST

START_TEST(ops_lists)
{
    /* proc.aname without index: any ancestor */
    T("proc.aname = sshd");
    T("proc.aname = systemd");
    F("proc.aname = cat");
    F("proc.aname = nope");
    T("proc.aname != bash");
    T("proc.aname in (init, sshd)");
    F("proc.aname in (init, cron)");
    T("proc.aname intersects (sshd)");
    T("proc.aname startswith ssh");
    T("proc.aname in (shell_binaries)");
    T("proc.aname[0] = cat");
    T("proc.aname[1] = bash");
    T("proc.aname[2] = sshd");
    F("proc.aname[1] = sshd");
    F("proc.aname[5] = sshd");
    F("proc.aname[5] != sshd");
    T("proc.aname[5] exists or proc.aname[3] exists");
    F("proc.aname[4] exists");
    /* fd.types is set-valued: in is a subset test, intersects any */
    T("fd.types in (file, ipv4, ipv6)");
    T("fd.types in (ipv4, file)");
    F("fd.types in (file)");
    F("fd.types in ()");
    T("fd.types intersects (file)");
    T("fd.types intersects (x, ipv4)");
    F("fd.types intersects (x, y)");
    T("fd.types = ipv4");
    tf_ev.anames[0] = NULL;
    F("proc.aname = bash");
    F("proc.aname != bash");
    F("proc.aname exists");
}
END_TEST

START_TEST(ops_transformers)
{
    tf_ev.name = "CaT";
    T("tolower(proc.name) = cat");
    F("proc.name = cat");
    T("toupper(proc.name) = CAT");
    T("toupper(tolower(proc.name)) = CAT");
    T("tolower(proc.name) in (dog, cat)");
    T("tolower(proc.name) glob c*");
    T("basename(fd.name) = passwd");
    T("len(proc.name) = 3");
    T("len(fd.name) > 5");
    T("len(proc.aname) = 3");
    T("len(tolower(proc.name)) = 3");
    T("len(proc.name) in (1, 3)");
    tf_ev.fdname = "/etc/";
    T("basename(fd.name) = \"\"");
    tf_ev.fdname = "plain";
    T("basename(fd.name) = plain");
    tf_ev.args = "aGVsbG8=";
    T("b64(proc.args) = hello");
    tf_ev.args = "aGVsbG8";
    T("b64(proc.args) = hello");
    tf_ev.args = "a*==";
    F("b64(proc.args) = hello");
    F("b64(proc.args) exists");
    T("proc.args exists");
    T("not b64(proc.args) = hello");
    /* on the right side */
    tf_ev.pname = "cat";
    T("toupper(proc.name) = toupper(proc.pname)");
    F("tolower(proc.name) = proc.pname"); /* a string constant, not the field */
    T("tolower(proc.name) = val(proc.pname)");
    T("tolower(proc.name) = tolower(proc.pname)");
    T("evt.num > len(proc.name)");
    tf_compile_err("tolower(evt.num) = x", "1:1: tolower() needs a string field; 'evt.num' is a number");
    tf_compile_err("len(evt.num) = 1", "1:1: len() needs a string or a list field; 'evt.num' is a number");
    tf_compile_err("len(proc.name) = abc", "1:18: 'abc' is not an unsigned number");
    tf_compile_err("len(proc.name) contains 1", "1:16: operator 'contains' needs a string or bytes; 'len(proc.name)' is a number");
}
END_TEST

START_TEST(ops_field_to_field)
{
    F("proc.name = val(proc.pname)");
    T("proc.name != val(proc.pname)");
    T("proc.name > val(proc.pname)");
    F("proc.name < val(proc.pname)");
    T("proc.name in val(proc.name)");
    F("fd.name contains val(proc.name)");
    tf_ev.pname = "cat";
    T("proc.name = val(proc.pname)");
    T("evt.num = val(evt.num)");
    F("proc.aname = val(proc.pname)");
    tf_ev.pname = "sshd";
    T("proc.aname = val(proc.pname)");
    T("fd.sip = val(fd.sip)");
    tf_compile_err("proc.name = val(proc.aname)", "1:13: field 'proc.aname' cannot be on the right side of a comparison");
    tf_compile_err("proc.name = val(evt.num)", "1:13: cannot compare 'proc.name' (a string) with 'evt.num' (a number)");
    tf_compile_err("proc.name = val(proc.nope)", "1:17: unknown field 'proc.nope'");
    tf_compile_err("fd.name pmatch val(proc.name)", "1:9: operator 'pmatch' needs constants on the right");
}
END_TEST

void filter_ops_cases(Suite *s)
{
    TCase *tc = tcase_create("filter_ops");
    tcase_add_checked_fixture(tc, tf_setup, tf_teardown);
    tcase_add_test(tc, ops_strings);
    tcase_add_test(tc, ops_glob);
    tcase_add_test(tc, ops_pmatch);
    tcase_add_test(tc, ops_regex);
    tcase_add_test(tc, ops_bytes);
    tcase_add_test(tc, ops_numbers);
    tcase_add_test(tc, ops_bool);
    tcase_add_test(tc, ops_modifiers);
    tcase_add_test(tc, ops_dynamic);
    tcase_add_test(tc, ops_ip);
    tcase_add_test(tc, ops_missing);
    tcase_add_test(tc, ops_lists);
    tcase_add_test(tc, ops_transformers);
    tcase_add_test(tc, ops_field_to_field);
    suite_add_tcase(s, tc);
}
