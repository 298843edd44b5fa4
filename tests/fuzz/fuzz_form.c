/* fuzz_form.c — form value parsing (core/form.c) on hostile input.
 *
 * The configuration is the manufacturing preset (preset.h), loaded once.
 * Input byte 0 chooses a mode and byte 1 a field (over every form's fields,
 * so every field type with its limits, choices and special words is met);
 * the rest is
 *   mode even: one value for form_parse_value, then form_value_text of the
 *              result;
 *   mode odd:  lines KEY=VALUE for form_fill of the chosen field's form.
 * Checked: a value is accepted (with a JSON value) or refused with a message;
 * every accepted string is valid UTF-8 without control characters (what
 * text_check demands of stored text), and money is never negative unless the
 * field allows it. */
#include <assert.h>
#include <stdint.h>
#include "kesu/conf.h"
#include "kesu/form.h"
#include "kesu/text.h"
#include "preset.h"

static conf *cf;
static const conf_field **fields;
static const conf_form **owner;
static size_t nfields;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	const char *dir = preset_setup();
	conf_diags d = {0};
	if (conf_load(dir, &cf, &d) != KS_OK) {
		fprintf(stderr, "fuzz_form: the preset does not load: %s\n", d.n ? d.msgs[0] : "?");
		exit(1);
	}
	conf_diags_free(&d);
	for (size_t i = 0; i < cf->nforms; i++)
		nfields += cf->forms[i].nfields;
	fields = calloc(nfields, sizeof *fields);
	owner = calloc(nfields, sizeof *owner);
	size_t k = 0;
	for (size_t i = 0; i < cf->nforms; i++)
		for (size_t j = 0; j < cf->forms[i].nfields; j++) {
			owner[k] = &cf->forms[i];
			fields[k++] = &cf->forms[i].fields[j];
		}
	return 0;
}

static void check_value(const conf_field *fd, const json_t *v)
{
	assert(v != NULL);
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		assert(text_check(s, n, fd->type == FT_LONGTEXT, fd->label, NULL) == KS_OK);
	}
	if (fd->type == FT_MONEY || fd->type == FT_NUMBER) {
		if (json_is_integer(v)) {
			long long x = json_integer_value(v);
			if (fd->has_min)
				assert(x >= fd->min);
			if (fd->has_max)
				assert(x <= fd->max);
		}
	}
	char *t = form_value_text(cf, fd, v);
	assert(t != NULL);
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || nfields == 0)
		return 0;
	int mode = data[0];
	size_t idx = data[1] % nfields;
	const conf_field *fd = fields[idx];
	const char *s = (const char *)data + 2;
	size_t len = size - 2;
	ks_err e;
	if (!(mode & 1)) {
		/* form_parse_value wants a NUL after the value */
		char *buf = malloc(len + 1);
		memcpy(buf, s, len);
		buf[len] = 0;
		json_t *v = NULL;
		if (form_parse_value(cf, fd, buf, len, &v, &e) == KS_OK) {
			check_value(fd, v);
			json_decref(v);
		} else {
			assert(e.msg[0]);
		}
		free(buf);
		return 0;
	}
	/* KEY=VALUE lines */
	char *buf = malloc(len + 1);
	memcpy(buf, s, len);
	buf[len] = 0;
	form_kv kv[32];
	size_t n = 0;
	char *p = buf, *end = buf + len;
	while (p < end && n < 32) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		*eol = 0;
		char *eq = memchr(p, '=', (size_t)(eol - p));
		if (eq) {
			*eq = 0;
			kv[n].key = p;
			kv[n].value = eq + 1;
			kv[n].len = (size_t)(eol - eq - 1);
			n++;
		}
		p = eol + 1;
	}
	json_t *out = NULL;
	const conf_form *f = owner[idx];
	if (form_fill(cf, f, kv, n, &out, &e) == KS_OK) {
		assert(json_is_object(out));
		const char *key;
		json_t *v;
		json_object_foreach(out, key, v) {
			const conf_field *fk = conf_form_field(f, key);
			assert(fk != NULL);
			check_value(fk, v);
		}
		json_decref(out);
	} else {
		assert(e.msg[0]);
	}
	free(buf);
	return 0;
}
