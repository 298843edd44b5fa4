/* err.c — status labels, error buffers, allocation wrappers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/err.h"

const char *ks_status_label(ks_status st)
{
	switch (st) {
#define KS_X(name, code, label) case name: return label;
	KS_STATUS_LIST(KS_X)
#undef KS_X
	}
	return "未知状态";
}

/* Cut s (NUL-terminated, in a buffer) back to a UTF-8 character boundary. */
static void cut_utf8(char *s)
{
	size_t n = strlen(s);
	size_t i = n;
	/* walk back over continuation bytes to the last lead byte */
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

ks_status ks_verrf(ks_err *e, ks_status st, const char *fmt, va_list ap)
{
	if (e) {
		int r = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		if (r >= (int)sizeof e->msg)
			cut_utf8(e->msg);
	}
	return st;
}

ks_status ks_errf(ks_err *e, ks_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ks_verrf(e, st, fmt, ap);
	va_end(ap);
	return st;
}

static void oom(void)
{
	fputs("kesu: 内存不足\n", stderr);
	abort();
}

void *ks_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *ks_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *ks_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *ks_strdup(const char *s)
{
	return ks_strndup(s, strlen(s));
}

char *ks_strndup(const char *s, size_t n)
{
	char *p = ks_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ks_asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	char *p = ks_malloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
