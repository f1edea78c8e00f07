/* fields_evt.c -- STUB until the evt field class lands. */
#include "fields.h"

const struct field_def fields_evt[] = { { 0 } };
const size_t fields_evt_count = 0;
