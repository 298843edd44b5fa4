/* yaml.c — build a position-carrying tree from libyaml's event stream. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "kesu/yaml.h"

static ynode *node_new(ynode_kind kind, const yaml_mark_t *m)
{
	ynode *n = ks_calloc(1, sizeof *n);
	n->kind = kind;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

void ynode_free(ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		ynode_free(n->items[i]);
		if (n->keys)
			ynode_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->str);
	free(n);
}

static void push(ynode *parent, ynode *key, ynode *val)
{
	parent->items = ks_realloc(parent->items, (parent->n + 1) * sizeof *parent->items);
	parent->items[parent->n] = val;
	if (parent->kind == YNODE_MAP) {
		parent->keys = ks_realloc(parent->keys, (parent->n + 1) * sizeof *parent->keys);
		parent->keys[parent->n] = key;
	}
	parent->n++;
}

/* Parse one node whose first event is ev (already taken). Returns NULL and
 * fills err on failure. Takes ownership of nothing in ev. */
static ynode *parse_node(yaml_parser_t *p, yaml_event_t *ev, ks_err *err);

static bool next(yaml_parser_t *p, yaml_event_t *ev, ks_err *err)
{
	if (yaml_parser_parse(p, ev))
		return true;
	ks_errf(err, KS_INVALID, "%zu:%zu: YAML 语法错误：%s",
	        p->problem_mark.line + 1, p->problem_mark.column + 1,
	        p->problem ? p->problem : "无法解析");
	return false;
}

static ynode *parse_node(yaml_parser_t *p, yaml_event_t *ev, ks_err *err)
{
	ynode *n = NULL;
	yaml_event_t e;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = node_new(YNODE_SCALAR, &ev->start_mark);
		n->str = ks_strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		if (strlen(n->str) != ev->data.scalar.length) {
			ks_errf(err, KS_INVALID, "%d:%d: 文本中含有 NUL 字符", n->line, n->col);
			ynode_free(n);
			return NULL;
		}
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return n;
	case YAML_ALIAS_EVENT:
		ks_errf(err, KS_INVALID, "%zu:%zu: 配置中不支持锚点引用（*别名）",
		        ev->start_mark.line + 1, ev->start_mark.column + 1);
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
		n = node_new(YNODE_SEQ, &ev->start_mark);
		for (;;) {
			if (!next(p, &e, err))
				goto fail;
			if (e.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&e);
				return n;
			}
			ynode *item = parse_node(p, &e, err);
			yaml_event_delete(&e);
			if (!item)
				goto fail;
			push(n, NULL, item);
		}
	case YAML_MAPPING_START_EVENT:
		n = node_new(YNODE_MAP, &ev->start_mark);
		for (;;) {
			if (!next(p, &e, err))
				goto fail;
			if (e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				return n;
			}
			ynode *key = parse_node(p, &e, err);
			yaml_event_delete(&e);
			if (!key)
				goto fail;
			if (key->kind != YNODE_SCALAR) {
				ks_errf(err, KS_INVALID, "%d:%d: 键必须是文本", key->line, key->col);
				ynode_free(key);
				goto fail;
			}
			for (size_t i = 0; i < n->n; i++) {
				if (strcmp(n->keys[i]->str, key->str) == 0) {
					ks_errf(err, KS_INVALID, "%d:%d: 重复的键 %s（第 %d 行已有）",
					        key->line, key->col, key->str, n->keys[i]->line);
					ynode_free(key);
					goto fail;
				}
			}
			if (!next(p, &e, err)) {
				ynode_free(key);
				goto fail;
			}
			ynode *val = parse_node(p, &e, err);
			yaml_event_delete(&e);
			if (!val) {
				ynode_free(key);
				goto fail;
			}
			push(n, key, val);
		}
	default:
		ks_errf(err, KS_INVALID, "%zu:%zu: 意外的 YAML 结构",
		        ev->start_mark.line + 1, ev->start_mark.column + 1);
		return NULL;
	}
fail:
	ynode_free(n);
	return NULL;
}

static ks_status parse_with(yaml_parser_t *p, ynode **out, ks_err *err)
{
	yaml_event_t e;
	ynode *root = NULL;
	*out = NULL;
	/* stream start, document start (or stream end for an empty file) */
	for (;;) {
		if (!next(p, &e, err)) {
			ynode_free(root);  /* a syntax error after the document */
			return KS_INVALID;
		}
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
			if (root) {
				ynode_free(root);
				return ks_errf(err, KS_INVALID, "%zu:%zu: 一个文件只能有一个 YAML 文档",
				               at.line + 1, at.column + 1);
			}
			if (!next(p, &e, err))
				return KS_INVALID;
			root = parse_node(p, &e, err);
			yaml_event_delete(&e);
			if (!root)
				return KS_INVALID;
			continue;
		}
		yaml_event_delete(&e);
	}
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
