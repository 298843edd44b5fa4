/* yaml.c — build a position-carrying tree from libyaml's event stream. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "kesu/yaml.h"

/* A tree lives in one arena: its nodes, strings and arrays are carved out of
 * a few large blocks, which the root owns and ynode_free releases at once.
 * (A malloc, a realloc per item and a free per node and string were a fifth
 * of reading the configuration, which every process does.) Children are
 * gathered on one shared stack while their parent is open and copied into
 * the arena when it closes, so no array grows in place. */
typedef struct yblock {
	struct yblock *next;
	size_t used, cap;
	max_align_t data[];
} yblock;

typedef struct yparse {
	yaml_parser_t *p;
	yblock *blocks;
	ynode **stack;          /* children of the open sequences and maps */
	size_t nstack, capstack;
} yparse;

#define YBLOCK_MIN 16384

static void *arena_alloc(yparse *y, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	yblock *b = y->blocks;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > YBLOCK_MIN ? n : YBLOCK_MIN;
		b = ks_malloc(sizeof *b + cap);
		b->next = y->blocks;
		b->used = 0;
		b->cap = cap;
		y->blocks = b;
	}
	void *r = (char *)b->data + b->used;
	b->used += n;
	return r;
}

static void arena_free(yblock *b)
{
	while (b) {
		yblock *next = b->next;
		free(b);
		b = next;
	}
}

static ynode *node_new(yparse *y, ynode_kind kind, const yaml_mark_t *m)
{
	ynode *n = arena_alloc(y, sizeof *n);
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

/* Only a root (from ynode_load or ynode_parse) owns its arena; any other
 * node goes with it. */
void ynode_free(ynode *n)
{
	if (n && n->arena)
		arena_free(n->arena);
}

static void stack_push(yparse *y, ynode *n)
{
	if (y->nstack == y->capstack) {
		y->capstack = y->capstack ? y->capstack * 2 : 64;
		y->stack = ks_realloc(y->stack, y->capstack * sizeof *y->stack);
	}
	y->stack[y->nstack++] = n;
}

/* Close n: its children are on the stack from base (a map's as key, value,
 * key, value…); move them into the arena. */
static void close_node(yparse *y, ynode *n, size_t base)
{
	size_t k = y->nstack - base;
	if (n->kind == YNODE_MAP) {
		n->n = k / 2;
		if (n->n) {
			n->keys = arena_alloc(y, n->n * sizeof *n->keys);
			n->items = arena_alloc(y, n->n * sizeof *n->items);
			for (size_t i = 0; i < n->n; i++) {
				n->keys[i] = y->stack[base + 2 * i];
				n->items[i] = y->stack[base + 2 * i + 1];
			}
		}
	} else {
		n->n = k;
		if (k) {
			n->items = arena_alloc(y, k * sizeof *n->items);
			memcpy(n->items, y->stack + base, k * sizeof *n->items);
		}
	}
	y->nstack = base;
}

/* Parse one node whose first event is ev (already taken). Returns NULL and
 * fills err on failure (what was built stays in the arena, freed with it).
 * Takes ownership of nothing in ev. */
static ynode *parse_node(yparse *y, yaml_event_t *ev, ks_err *err);

static bool next(yaml_parser_t *p, yaml_event_t *ev, ks_err *err)
{
	if (yaml_parser_parse(p, ev))
		return true;
	ks_errf(err, KS_INVALID, "%zu:%zu: YAML 语法错误：%s",
	        p->problem_mark.line + 1, p->problem_mark.column + 1,
	        p->problem ? p->problem : "无法解析");
	return false;
}

static ynode *parse_node(yparse *y, yaml_event_t *ev, ks_err *err)
{
	ynode *n = NULL;
	yaml_event_t e;
	size_t base = y->nstack;
	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		n = node_new(y, YNODE_SCALAR, &ev->start_mark);
		size_t len = ev->data.scalar.length;
		if (memchr(ev->data.scalar.value, '\0', len)) {
			ks_errf(err, KS_INVALID, "%d:%d: 文本中含有 NUL 字符", n->line, n->col);
			return NULL;
		}
		n->str = arena_alloc(y, len + 1);
		memcpy(n->str, ev->data.scalar.value, len);
		n->str[len] = '\0';
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return n;
	}
	case YAML_ALIAS_EVENT:
		ks_errf(err, KS_INVALID, "%zu:%zu: 配置中不支持锚点引用（*别名）",
		        ev->start_mark.line + 1, ev->start_mark.column + 1);
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
		n = node_new(y, YNODE_SEQ, &ev->start_mark);
		for (;;) {
			if (!next(y->p, &e, err))
				goto fail;
			if (e.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&e);
				close_node(y, n, base);
				return n;
			}
			ynode *item = parse_node(y, &e, err);
			yaml_event_delete(&e);
			if (!item)
				goto fail;
			stack_push(y, item);
		}
	case YAML_MAPPING_START_EVENT:
		n = node_new(y, YNODE_MAP, &ev->start_mark);
		for (;;) {
			if (!next(y->p, &e, err))
				goto fail;
			if (e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				close_node(y, n, base);
				return n;
			}
			ynode *key = parse_node(y, &e, err);
			yaml_event_delete(&e);
			if (!key)
				goto fail;
			if (key->kind != YNODE_SCALAR) {
				ks_errf(err, KS_INVALID, "%d:%d: 键必须是文本", key->line, key->col);
				goto fail;
			}
			for (size_t i = base; i < y->nstack; i += 2) {
				if (strcmp(y->stack[i]->str, key->str) == 0) {
					ks_errf(err, KS_INVALID, "%d:%d: 重复的键 %s（第 %d 行已有）",
					        key->line, key->col, key->str, y->stack[i]->line);
					goto fail;
				}
			}
			if (!next(y->p, &e, err))
				goto fail;
			ynode *val = parse_node(y, &e, err);
			yaml_event_delete(&e);
			if (!val)
				goto fail;
			stack_push(y, key);
			stack_push(y, val);
		}
	default:
		ks_errf(err, KS_INVALID, "%zu:%zu: 意外的 YAML 结构",
		        ev->start_mark.line + 1, ev->start_mark.column + 1);
		return NULL;
	}
fail:
	y->nstack = base;
	return NULL;
}

static ks_status parse_events(yparse *y, ynode **out, ks_err *err)
{
	yaml_event_t e;
	ynode *root = NULL;
	*out = NULL;
	/* stream start, document start (or stream end for an empty file) */
	for (;;) {
		if (!next(y->p, &e, err))
			return KS_INVALID;  /* a syntax error after the document too */
		yaml_event_type_t t = e.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&e);
			*out = root;
			return KS_OK;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&e);
			continue;
		}
		if (t == YAML_DOCUMENT_START_EVENT) {
			yaml_mark_t at = e.start_mark;  /* yaml_event_delete clears e */
			yaml_event_delete(&e);
			if (root)
				return ks_errf(err, KS_INVALID, "%zu:%zu: 一个文件只能有一个 YAML 文档",
				               at.line + 1, at.column + 1);
			if (!next(y->p, &e, err))
				return KS_INVALID;
			root = parse_node(y, &e, err);
			yaml_event_delete(&e);
			if (!root)
				return KS_INVALID;
			continue;
		}
		yaml_event_delete(&e);
	}
}

/* Parse with p into *out; the root (if any) owns the arena. */
static ks_status parse_with(yaml_parser_t *p, ynode **out, ks_err *err)
{
	yparse y = { .p = p };
	ks_status st = parse_events(&y, out, err);
	free(y.stack);
	if (st || !*out) {
		*out = NULL;
		arena_free(y.blocks);
	} else {
		(*out)->arena = y.blocks;
	}
	return st;
}

ks_status ynode_parse(const char *text, size_t len, ynode **out, ks_err *err)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return ks_errf(err, KS_FAIL, "无法初始化 YAML 解析器");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	ks_status st = parse_with(&p, out, err);
	yaml_parser_delete(&p);
	return st;
}

ks_status ynode_load(const char *path, ynode **out, ks_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ks_errf(err, KS_FAIL, "无法打开：%m");
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		fclose(f);
		return ks_errf(err, KS_FAIL, "无法初始化 YAML 解析器");
	}
	yaml_parser_set_input_file(&p, f);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	ks_status st = parse_with(&p, out, err);
	yaml_parser_delete(&p);
	fclose(f);
	return st;
}

ynode *ynode_get(const ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return map->items[i];
	return NULL;
}

ynode *ynode_key(const ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return map->keys[i];
	return NULL;
}

const char *ynode_kind_name(const ynode *n)
{
	if (!n)
		return "空值";
	switch (n->kind) {
	case YNODE_SCALAR: return "文本";
	case YNODE_SEQ:    return "列表";
	case YNODE_MAP:    return "映射";
	}
	return "?";
}
