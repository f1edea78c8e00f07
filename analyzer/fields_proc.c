/* fields_proc.c -- STUB until the proc field class lands. */
#include "fields.h"

const struct field_def fields_proc[] = { { 0 } };
const size_t fields_proc_count = 0;
