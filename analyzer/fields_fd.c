/* fields_fd.c -- STUB until the fd field class lands. */
#include "fields.h"

const struct field_def fields_fd[] = { { 0 } };
const size_t fields_fd_count = 0;
