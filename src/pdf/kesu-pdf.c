/* kesu-pdf.c — the PDF renderer: a print document (JSON, see
 * include/kesu/print.h) on standard input, an A4 PDF on standard output.
 *
 * A separate program so that the kesu binary never links cairo and pango
 * (and glib, harfbuzz, fontconfig and freetype behind them): every kesu
 * command would pay for loading them. `kesu print --format pdf` finds it
 * beside itself (build/kesu-pdf) or as PREFIX/lib/kesu/kesu-pdf and feeds it
 * the document that the text layout uses; every string in it has already
 * been through kesu's sanitiser. Text is placed with pango_layout_set_text
 * (never markup), so nothing in it is interpreted.
 *
 * Layout: A4 portrait, 20 mm margins. A form is a table: the title and
 * header on every page (with "（续）" after the first), groups as shaded
 * rows, each field a label cell and a value cell wrapped to its width (a
 * value longer than a page goes on over the page break, the label marked
 * "（续）"), the footer rows (the copy's number and holder), the signature
 * boxes; the foot of every page carries the folio (form, case, copy and
 * holder) and "第 N 页 共 M 页". A letter is paragraphs with the same page
 * foot. Pages are laid out twice: once to count them, once to draw.
 *
 * Exit status: 0 done; 2 the input is not a print document; 1 anything else
 * (no CJK font, cairo error). Errors are one line on stderr. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <jansson.h>
#include <pango/pangocairo.h>

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define MARGIN (20 * MM)
#define FOOT_H (10 * MM)        /* the page foot, inside the bottom margin's top */
#define PAD 4.0                 /* inside a cell */
#define LINE_W 0.6

#define FONT_SANS "Noto Sans CJK SC"
#define FONT_SERIF "Noto Serif CJK SC"

typedef struct pdf {
	cairo_t *cr;
	PangoContext *pc;
	const json_t *doc;
	bool draw;                  /* the second pass */
	int page, pages;            /* current page (1-based), total (from the first pass) */
	double y;                   /* where the next row goes */
	double body_top;            /* where rows start on this page */
	double label_w;             /* forms: the label column */
	const char *group;          /* forms: the group being printed, for "（续）" */
} pdf;

static const double X0 = MARGIN, X1 = PAGE_W - MARGIN;
static const double BOTTOM = PAGE_H - MARGIN;

static void die(int code, const char *msg)
{
	fprintf(stderr, "kesu-pdf: %s\n", msg);
	exit(code);
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* A new layout of text in font ("Family Style Size") wrapped to width
 * points (<= 0: unwrapped). Caller unrefs. */
static PangoLayout *text_layout(pdf *p, const char *text, const char *font, double width,
                                PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text, -1);
	return l;
}

static double layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* The lines of a layout: top and bottom of each, in points from its top. */
typedef struct lrange {
	double *top, *bot;
	int n;
} lrange;

static lrange line_ranges(PangoLayout *l)
{
	lrange r;
	r.n = pango_layout_get_line_count(l);
	r.top = calloc((size_t)r.n + 1, sizeof *r.top);
	r.bot = calloc((size_t)r.n + 1, sizeof *r.bot);
	if (!r.top || !r.bot)
		die(1, "内存不足");
	PangoLayoutIter *it = pango_layout_get_iter(l);
	int i = 0;
	do {
		int y0, y1;
		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		if (i < r.n) {
			r.top[i] = (double)y0 / PANGO_SCALE;
			r.bot[i] = (double)y1 / PANGO_SCALE;
		}
		i++;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return r;
}

static void lrange_free(lrange *r)
{
	free(r->top);
	free(r->bot);
}

/* Show lines [a, b) of l with their top at (x, y), clipped to them. */
static void show_lines(pdf *p, PangoLayout *l, const lrange *r, int a, int b, double x, double y)
{
	if (!p->draw || a >= b)
		return;
	cairo_save(p->cr);
	cairo_rectangle(p->cr, x - 1, y, PAGE_W, r->bot[b - 1] - r->top[a]);
	cairo_clip(p->cr);
	cairo_move_to(p->cr, x, y - r->top[a]);
	pango_cairo_show_layout(p->cr, l);
	cairo_restore(p->cr);
}

static void show(pdf *p, PangoLayout *l, double x, double y)
{
	if (!p->draw)
		return;
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

static void box(pdf *p, double x, double y, double w, double h, double grey)
{
	if (!p->draw)
		return;
	cairo_rectangle(p->cr, x, y, w, h);
	if (grey < 1) {
		cairo_set_source_rgb(p->cr, grey, grey, grey);
		cairo_fill_preserve(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	cairo_set_line_width(p->cr, LINE_W);
	cairo_stroke(p->cr);
}

/* ---- pages ---- */

static void page_foot(pdf *p)
{
	char num[64];
	snprintf(num, sizeof num, "第 %d 页 共 %d 页", p->page, p->pages);
	PangoLayout *n = text_layout(p, num, FONT_SANS " 8", 0, PANGO_ALIGN_LEFT);
	int nw, nh;
	pango_layout_get_size(n, &nw, &nh);
	double w = (double)nw / PANGO_SCALE;
	double y = BOTTOM + FOOT_H - layout_h(n);
	PangoLayout *f = text_layout(p, jstr(p->doc, "folio"), FONT_SANS " 8", X1 - X0 - w - 6 * MM,
	                             PANGO_ALIGN_LEFT);
	pango_layout_set_ellipsize(f, PANGO_ELLIPSIZE_END);
	show(p, f, X0, y);
	show(p, n, X1 - w, y);
	g_object_unref(f);
	g_object_unref(n);
}

static void group_row(pdf *p, const char *title, bool cont);

/* Start a page: finish the last one, draw the header (the title and, on a
 * form, the header lines; "（续）" after the first page) and the foot. */
static void new_page(pdf *p)
{
	if (p->page > 0 && p->draw)
		cairo_show_page(p->cr);
	p->page++;
	bool form = strcmp(jstr(p->doc, "kind"), "letter");
	double y = MARGIN;
	if (form || p->page > 1) {
		char *t = NULL;
		if (asprintf(&t, "%s%s", jstr(p->doc, "title"), p->page > 1 ? "（续）" : "") < 0)
			die(1, "内存不足");
		PangoLayout *l = text_layout(p, t, p->page > 1 ? FONT_SERIF " Bold 13" : FONT_SERIF " Bold 18",
		                             X1 - X0, PANGO_ALIGN_CENTER);
		show(p, l, X0, y);
		y += layout_h(l) + 3 * MM;
		g_object_unref(l);
		free(t);
	}
	if (form) {
		const json_t *h = json_object_get(p->doc, "header");
		size_t n = p->page > 1 ? 1 : json_array_size(h);     /* later pages: the case number line */
		for (size_t i = 0; i < n && i < json_array_size(h); i++) {
			PangoLayout *l = text_layout(p, json_string_value(json_array_get(h, i)), FONT_SANS " 9.5",
			                             X1 - X0, PANGO_ALIGN_LEFT);
			show(p, l, X0, y);
			y += layout_h(l) + 1;
			g_object_unref(l);
		}
		y += 2 * MM;
	}
	page_foot(p);
	p->y = p->body_top = y;
	if (form && p->group) {
		group_row(p, p->group, true);
		p->body_top = p->y;     /* "nothing on this page yet" includes the repeated heading */
	}
}

/* ---- forms ---- */

/* A table row: label (NULL: one cell the whole width) and text, wrapped in
 * their cells; over page breaks as needed. grey < 1 shades the row. */
static void table_row(pdf *p, const char *label, const char *text, const char *font, double grey)
{
	double lw = label ? p->label_w : 0;
	double vx = X0 + lw, vw = X1 - vx;
	PangoLayout *v = text_layout(p, text, font, vw - 2 * PAD, PANGO_ALIGN_LEFT);
	PangoLayout *lab = label ? text_layout(p, label, FONT_SANS " Bold 10", lw - 2 * PAD, PANGO_ALIGN_LEFT)
	                         : NULL;
	double lh = lab ? layout_h(lab) : 0;
	lrange r = line_ranges(v);
	int start = 0;
	bool first = true;
	while (first || start < r.n) {
		double avail = BOTTOM - p->y - 2 * PAD;
		int k = start;
		while (k < r.n && r.bot[k] - r.top[start] <= avail)
			k++;
		/* a row is kept whole (on the next page if need be) unless it is
		 * longer than a page; its label must fit beside its first line */
		bool fits = k == r.n && (!first || lh <= avail);
		if (!fits) {
			bool fresh = p->y <= p->body_top + 1e-6;
			bool whole_fits = r.bot[r.n - 1] - r.top[start] <= BOTTOM - p->body_top - 2 * PAD;
			if (!fresh && (k == start || (first && lh > avail) || whole_fits)) {
				new_page(p);
				continue;
			}
			if (k == start)
				k = start + 1;  /* a line taller than a page: shown clipped */
		}
		double h = r.bot[k - 1] - r.top[start];
		if (first && lh > h)
			h = lh;
		double rh = h + 2 * PAD;
		if (lab) {
			box(p, X0, p->y, lw, rh, 0.95);
			if (first)
				show(p, lab, X0 + PAD, p->y + PAD);
			else {
				char *t = NULL;
				if (asprintf(&t, "%s（续）", label) < 0)
					die(1, "内存不足");
				PangoLayout *c = text_layout(p, t, FONT_SANS " Bold 10", lw - 2 * PAD, PANGO_ALIGN_LEFT);
				show(p, c, X0 + PAD, p->y + PAD);
				g_object_unref(c);
				free(t);
			}
		}
		box(p, vx, p->y, vw, rh, grey);
		show_lines(p, v, &r, start, k, vx + PAD, p->y + PAD);
		p->y += rh;
		start = k;
		first = false;
		if (start < r.n)
			new_page(p);
	}
	lrange_free(&r);
	if (lab)
		g_object_unref(lab);
	g_object_unref(v);
}

static void group_row(pdf *p, const char *title, bool cont)
{
	char *t = NULL;
	if (asprintf(&t, "%s%s", title, cont ? "（续）" : "") < 0)
		die(1, "内存不足");
	const char *keep = p->group;
	p->group = NULL;            /* a break inside the heading repeats nothing */
	table_row(p, NULL, t, FONT_SANS " Bold 10.5", 0.85);
	p->group = keep;
	free(t);
}

static void signatures(pdf *p, const json_t *sig)
{
	size_t n = json_array_size(sig);
	if (!n)
		return;
	double h = 22 * MM;
	p->group = NULL;
	if (p->y + h > BOTTOM)
		new_page(p);
	double w = (X1 - X0) / (double)n;
	for (size_t i = 0; i < n; i++) {
		double x = X0 + w * (double)i;
		box(p, x, p->y, w, h, 1);
		char *t = NULL;
		if (asprintf(&t, "%s：", json_string_value(json_array_get(sig, i))) < 0)
			die(1, "内存不足");
		PangoLayout *a = text_layout(p, t, FONT_SANS " 10", w - 2 * PAD, PANGO_ALIGN_LEFT);
		PangoLayout *d = text_layout(p, "日期：", FONT_SANS " 10", w - 2 * PAD, PANGO_ALIGN_LEFT);
		show(p, a, x + PAD, p->y + PAD);
		show(p, d, x + PAD, p->y + h - PAD - layout_h(d));
		g_object_unref(a);
		g_object_unref(d);
		free(t);
	}
	p->y += h;
}

static void form(pdf *p)
{
	const json_t *groups = json_object_get(p->doc, "groups");
	size_t gi, ii;
	const json_t *g, *it;
	/* the label column: the widest label, within 22 mm .. 45 mm */
	double lw = 22 * MM;
	json_array_foreach(groups, gi, g)
		json_array_foreach(json_object_get(g, "items"), ii, it) {
			PangoLayout *l = text_layout(p, jstr(it, "label"), FONT_SANS " Bold 10", 0, PANGO_ALIGN_LEFT);
			int w, h;
			pango_layout_get_size(l, &w, &h);
			g_object_unref(l);
			if ((double)w / PANGO_SCALE + 2 * PAD > lw)
				lw = (double)w / PANGO_SCALE + 2 * PAD;
		}
	p->label_w = lw < 45 * MM ? lw : 45 * MM;
	p->group = NULL;
	new_page(p);
	json_array_foreach(groups, gi, g) {
		p->group = NULL;
		if (p->y > p->body_top + 1e-6 && BOTTOM - p->y < 30 * MM)
			new_page(p);        /* a heading keeps company with its first row */
		group_row(p, jstr(g, "title"), false);
		p->group = jstr(g, "title");
		json_array_foreach(json_object_get(g, "items"), ii, it)
			table_row(p, jstr(it, "label"), jstr(it, "text"), FONT_SANS " 10", 1);
	}
	p->group = NULL;
	json_array_foreach(json_object_get(p->doc, "footer"), ii, it)
		table_row(p, NULL, json_string_value(it), FONT_SANS " 10", 1);
	signatures(p, json_object_get(p->doc, "signatures"));
}

/* ---- letters ---- */

/* A paragraph at x, width w, first line indented by indent points; over
 * page breaks as needed. Then gap points of space. */
static void para(pdf *p, const char *text, const char *font, double x, double indent, PangoAlignment al,
                 double gap)
{
	PangoLayout *l = text_layout(p, text, font, X1 - x, al);
	if (indent > 0)
		pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
	lrange r = line_ranges(l);
	int start = 0;
	while (start < r.n) {
		int k = start;
		while (k < r.n && r.bot[k] - r.top[start] <= BOTTOM - p->y)
			k++;
		if (k == start) {
			if (p->y > p->body_top + 1e-6) {
				new_page(p);
				continue;
			}
			k = start + 1;
		}
		show_lines(p, l, &r, start, k, x, p->y);
		p->y += r.bot[k - 1] - r.top[start];
		start = k;
		if (start < r.n)
			new_page(p);
	}
	p->y += gap;
	lrange_free(&r);
	g_object_unref(l);
}

static void letter(pdf *p)
{
	static const char *const body = FONT_SERIF " 11";
	const double em = 11;
	new_page(p);
	para(p, jstr(p->doc, "title"), FONT_SERIF " Bold 16", X0, 0, PANGO_ALIGN_CENTER, 8 * MM);
	para(p, jstr(p->doc, "salutation"), body, X0, 0, PANGO_ALIGN_LEFT, 3 * MM);
	para(p, jstr(p->doc, "opening"), body, X0, 2 * em, PANGO_ALIGN_LEFT, 4 * MM);
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(p->doc, "items"), i, it) {
		char *t = NULL;
		if (asprintf(&t, "%s：", jstr(it, "label")) < 0)
			die(1, "内存不足");
		para(p, t, FONT_SERIF " Bold 11", X0, 0, PANGO_ALIGN_LEFT, 1);
		para(p, jstr(it, "text"), body, X0 + 2 * em, 0, PANGO_ALIGN_LEFT, 4 * MM);
		free(t);
	}
	para(p, jstr(p->doc, "closing"), body, X0, 2 * em, PANGO_ALIGN_LEFT, 12 * MM);
	para(p, jstr(p->doc, "from"), body, X0, 0, PANGO_ALIGN_RIGHT, 1);
	para(p, jstr(p->doc, "date"), body, X0, 0, PANGO_ALIGN_RIGHT, 0);
}

/* ---- main ---- */

#ifdef __SANITIZE_ADDRESS__
/* Under `make SAN=1`: fontconfig, cairo, pango and glib keep caches for the
 * life of the process (font sets, the font map, type registrations) that no
 * public call frees. Allocations made from within them are not ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libcairo.so\nleak:libpango-1.0.so\nleak:libpangoft2-1.0.so\n"
	       "leak:libpangocairo-1.0.so\nleak:libglib-2.0.so\nleak:libgobject-2.0.so\n"
	       "leak:libharfbuzz.so\nleak:libfreetype.so\n";
}
#endif

/* Whether fontconfig has a CJK font for Simplified Chinese: the Noto CJK
 * family kesu asks for, from Debian's fonts-noto-cjk. */
static bool have_cjk_font(void)
{
	FcPattern *pat = FcNameParse((const FcChar8 *)FONT_SANS);
	FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
	FcFontSet *fs = pat && os ? FcFontList(NULL, pat, os) : NULL;
	bool ok = fs && fs->nfont > 0;
	if (fs)
		FcFontSetDestroy(fs);
	if (os)
		FcObjectSetDestroy(os);
	if (pat)
		FcPatternDestroy(pat);
	return ok;
}

static cairo_status_t to_stdout(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	return fwrite(data, 1, len, stdout) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void run(pdf *p)
{
	p->page = 0;
	p->group = NULL;
	if (!strcmp(jstr(p->doc, "kind"), "letter"))
		letter(p);
	else
		form(p);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		puts("用法：kesu-pdf <文档.json >文件.pdf（由 kesu print --format pdf 调用）");
		return 0;
	}
	if (argc > 1)
		die(2, "不接受参数：文档从标准输入读入，PDF 写到标准输出");
	json_error_t je;
	json_t *doc = json_loadf(stdin, 0, &je);
	if (!doc) {
		char m[300];
		snprintf(m, sizeof m, "输入不是 JSON：第 %d 行：%s", je.line, je.text);
		die(2, m);
	}
	const char *kind = json_string_value(json_object_get(doc, "kind"));
	if (!json_is_object(doc) || !kind || (strcmp(kind, "form") && strcmp(kind, "letter")))
		die(2, "输入不是打印文档（kind 须为 form 或 letter）");
	if (!have_cjk_font())
		die(1, "找不到中文字体 " FONT_SANS "：请安装 fonts-noto-cjk");

	cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(to_stdout, NULL, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, jstr(doc, "title"));
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "kesu");
	cairo_t *cr = cairo_create(surf);
	PangoContext *pc = pango_cairo_create_context(cr);
	pango_cairo_context_set_resolution(pc, 72);   /* a font's size in points is its size here */
	pdf p = { .cr = cr, .pc = pc, .doc = doc };
	run(&p);                                        /* count the pages */
	p.pages = p.page;
	p.draw = true;
	run(&p);
	cairo_show_page(cr);
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_finish(surf);
	cairo_status_t cs = cairo_surface_status(surf);
	cairo_surface_destroy(surf);
	json_decref(doc);
	if (cs != CAIRO_STATUS_SUCCESS)
		die(1, cairo_status_to_string(cs));
	if (fflush(stdout) != 0 || ferror(stdout))
		die(1, "写出 PDF 失败");
	return 0;
}
