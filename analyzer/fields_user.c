/* fields_user.c -- STUB until the user field class lands. */
#include "fields.h"

const struct field_def fields_user[] = { { 0 } };
const size_t fields_user_count = 0;
