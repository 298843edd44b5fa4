/* form.h — filling a form from KEY=VALUE input: parsing and validating every
 * field by its type and limits, with messages that name the field's label.
 *
 * Values are kept as JSON (jansson): text, choice, date, datetime, staff,
 * department and yes/no as strings ("yes"/"no"); number as an integer (or a
 * special word such as "pending"); money as an integer count of fen. */
#ifndef KESU_FORM_H
#define KESU_FORM_H

#include <stddef.h>
#include <jansson.h>
#include "kesu/conf.h"

/* One KEY=VALUE from the user. */
typedef struct form_kv {
	const char *key;
	const char *value;
	size_t len;      /* bytes of value (it may contain NUL when read from a file) */
} form_kv;

/* Parse and validate in[0..n) against form f. Unknown keys, repeated keys,
 * missing required fields and invalid values are refused with KS_INVALID and
 * a message naming the field. On success returns a new JSON object with the
 * canonical value of every field given (the caller json_decref()s it). */
ks_status form_fill(const conf *c, const conf_form *f, const form_kv *in, size_t n,
                    json_t **out, ks_err *err);

/* Parse one value of field fd (for form_fill and the terminal form widget).
 * Returns a new JSON value or KS_INVALID naming the field. */
ks_status form_parse_value(const conf *c, const conf_field *fd, const char *s, size_t len,
                           json_t **out, ks_err *err);

/* A human-readable rendering of a stored value of fd: choice labels, money as
 * "1,234.56", yes/no as 是/否. Returns a new string (caller frees). The result
 * may contain stored text: sanitise it before display. */
char *form_value_text(const conf *c, const conf_field *fd, const json_t *v);

/* Money in fen as "1,234.56". buf >= 32. */
void form_money(long long fen, char *buf, size_t n);

/* Parse "KEY=VALUE" arguments (VALUE "@FILE" reads a file, "-" reads stdin).
 * Returns KS_INVALID for an argument without '='. The kv array and the values
 * read from files are allocated; free with form_kvs_free(). */
ks_status form_kvs_parse(char **argv, int argc, form_kv **out, size_t *n, ks_err *err);
void form_kvs_free(form_kv *kv, size_t n);

#endif
