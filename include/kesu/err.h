/* err.h — status codes and the error buffer every fallible function fills.
 *
 * A status is also the process exit code (CLI.md, "Exit status"), so the list
 * is declared once here and everything else is generated from it. */
#ifndef KESU_ERR_H
#define KESU_ERR_H

#include <stdarg.h>

#define KS_STATUS_LIST(X)                                          \
	X(KS_OK,       0, "完成")                                   \
	X(KS_FAIL,     1, "失败（输入输出、数据库或内部错误）")     \
	X(KS_INVALID,  2, "用法错误或输入无效")                     \
	X(KS_DENIED,   3, "无权操作")                               \
	X(KS_CONFLICT, 4, "冲突：案件已被他人修改，或数据库繁忙")   \
	X(KS_NOTFOUND, 5, "未找到")

typedef enum {
#define KS_X(name, code, label) name = code,
	KS_STATUS_LIST(KS_X)
#undef KS_X
} ks_status;

#define KS_ERR_MAX 1024

/* A message a user can act on, in Chinese, one line. */
typedef struct ks_err {
	char msg[KS_ERR_MAX];
} ks_err;

/* Fill e (if not NULL) with a formatted message and return st.
 * The message is cut at a UTF-8 character boundary if it is too long. */
ks_status ks_errf(ks_err *e, ks_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
ks_status ks_verrf(ks_err *e, ks_status st, const char *fmt, va_list ap);

/* Short Chinese description of a status. Never NULL. */
const char *ks_status_label(ks_status st);

/* Allocation wrappers: abort with a message on out-of-memory. */
void *ks_malloc(size_t n);
void *ks_calloc(size_t n, size_t size);
void *ks_realloc(void *p, size_t n);
char *ks_strdup(const char *s);
char *ks_strndup(const char *s, size_t n);
char *ks_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
