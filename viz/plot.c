/* plot.c - the draw list of `explore --plot` (plot.h): title, legend, and
 * per executor a header, the p50/p99 tags, the stacked bars over a grid
 * and the time axis; a footer saying what the axes are. */
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "humanize.h"
#include "viewer.h"

#define FS__W 1200        /* the picture's width */
#define FS__PAD 16        /* around it */
#define FS__PLOT_H 150    /* a panel's bars' area */
#define FS__MIN_SEG 2     /* px: a run or two in a bin still shows, in its colour */

/* Bottom to top in a bar: ok, then the failures, so a rare failure sits
 * on top of its bar where it shows. */
static const fs_outcome fs__stack[] = {FS_OUTCOME_OK, FS_OUTCOME_EXPECT, FS_OUTCOME_LIMIT,
                                       FS_OUTCOME_STALLED};

fs_viz_color fs_viz_plot_color(const fs_viz_theme *th, fs_outcome o)
{
    /* the viewer's theme colours (so theme.json recolours the plot too),
     * Okabe-Ito: green for ok, vermillion, dark grey and purple apart */
    switch (o) {
    case FS_OUTCOME_OK: return th->io;
    case FS_OUTCOME_STALLED: return th->wake;
    case FS_OUTCOME_LIMIT: return th->worker_busy;
    default: return th->compute;
    }
}

static uint64_t fs__bin_total(const fs_explore_hist *h, int e, int i)
{
    uint64_t n = 0;
    for (int o = 0; o < FS_OUTCOME__COUNT; o++)
        n += h->counts[e][i][o];
    return n;
}

void fs_viz_plot_layout_of(const fs_viz_plot_desc *d, const fs_viz_theme *th,
                           fs_viz_plot_layout *l)
{
    const fs_explore_hist *h = d->hist;
    int lh = th->line_h, cw = th->char_w;
    memset(l, 0, sizeof *l);
    l->w = FS__W;
    l->plot_h = FS__PLOT_H;

    /* one count scale for every panel, so their bars compare */
    uint64_t most = 1;
    for (int e = 0; e < d->n_exec; e++)
        for (int i = 0; i < h->n_bins; i++) {
            uint64_t n = fs__bin_total(h, e, i);
            most = n > most ? n : most;
        }
    /* room above the tallest bar for the count of its failures */
    uint64_t want = (uint64_t)ceil((double)most * l->plot_h / (l->plot_h - lh - 2));
    l->y_step = (uint64_t)fs_viz_tick_step((double)want, l->plot_h, 3 * lh);
    l->y_max = (want + l->y_step - 1) / l->y_step * l->y_step;
    char b[32];
    fs_format_count((int64_t)l->y_max, b, sizeof b);
    int label_cols = fs_viz_text_cols(b, strlen(b));
    l->plot_x = FS__PAD + (label_cols + 1) * cw;
    l->plot_w = l->w - l->plot_x - FS__PAD - 5 * cw; /* room for the last tick's label */

    l->t0 = h->lo;
    l->t1 = h->lo + (h->n_bins > 0 ? h->n_bins : 1) * (h->width > 0 ? h->width : 1);

    int y = FS__PAD + 2 * lh + 8 + lh + 16;  /* title, subtitle, legend */
    for (int e = 0; e < d->n_exec; e++) {
        y += lh + 4 + 2 * lh + 2;           /* header, the p50 and p99 tags */
        l->plot_y[e] = y;
        y += l->plot_h + 5 + lh + 18;       /* bars, ticks, their labels, a gap */
    }
    l->h = y + lh + FS__PAD;                /* the footer */
}

int fs_viz_plot_x(const fs_viz_plot_layout *l, int64_t t)
{
    double f = (double)(t - l->t0) / (double)(l->t1 - l->t0);
    return l->plot_x + (int)floor(f * l->plot_w);
}

/* text at x,y cut to the columns left before the right margin */
static void fs__text_fit(fs_viz_drawlist *dl, const fs_viz_theme *th, int x, int y,
                         fs_viz_color c, const char *s)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", s);
    fs_viz_text_fit(buf, sizeof buf, (FS__W - FS__PAD - x) / th->char_w);
    fs_viz_text(dl, x, y, c, th->char_w, buf);
}

static void fs__legend(fs_viz_drawlist *dl, const fs_viz_theme *th, const fs_viz_plot_desc *d,
                       int y)
{
    static const char *const names[] = {[FS_OUTCOME_OK] = "ok", [FS_OUTCOME_STALLED] = "stalled",
                                        [FS_OUTCOME_LIMIT] = "limit hit",
                                        [FS_OUTCOME_EXPECT] = "expectation failed"};
    static const fs_outcome order[] = {FS_OUTCOME_OK, FS_OUTCOME_STALLED, FS_OUTCOME_LIMIT,
                                       FS_OUTCOME_EXPECT};
    int lh = th->line_h, cw = th->char_w, x = FS__PAD;
    for (int k = 0; k < FS_OUTCOME__COUNT; k++) {
        if (order[k] == FS_OUTCOME_EXPECT && !d->has_expect)
            continue;
        fs_viz_rect(dl, x, y + 2, lh - 4, lh - 4, fs_viz_plot_color(th, order[k]));
        x += lh;
        x += fs_viz_text(dl, x, y, th->text, cw, names[order[k]]) + 2 * cw;
    }
    fs_viz_line(dl, x, y, x, y + lh, th->text);
    x += cw;
    x += fs_viz_text(dl, x, y, th->text, cw, "p50") + 2 * cw;
    for (int k = 0; k < lh; k += 4)
        fs_viz_line(dl, x, y + k, x, y + k + 1, th->text);
    x += cw;
    fs__text_fit(dl, th, x, y, th->text, "p99 of the executor's end times");
}

/* "wake: 1,000 runs: 986 ok, 14 stalled, 0 limit hit", as the text report says it */
static void fs__header(fs_viz_drawlist *dl, const fs_viz_theme *th, const fs_viz_plot_desc *d,
                       int e, int y)
{
    const fs_explore_summary *s = &d->sums[e];
    char line[256], a[32], b[32], c[32], f[32];
    int n = snprintf(line, sizeof line, "%s: %s runs: %s ok, %s stalled, %s limit hit", d->labels[e],
                     fs_format_count((int64_t)s->runs, a, sizeof a),
                     fs_format_count((int64_t)s->outcomes[FS_OUTCOME_OK], b, sizeof b),
                     fs_format_count((int64_t)s->outcomes[FS_OUTCOME_STALLED], c, sizeof c),
                     fs_format_count((int64_t)s->outcomes[FS_OUTCOME_LIMIT], f, sizeof f));
    if (d->has_expect && n > 0 && (size_t)n < sizeof line)
        snprintf(line + n, sizeof line - (size_t)n, ", %s expectation failed",
                 fs_format_count((int64_t)s->outcomes[FS_OUTCOME_EXPECT], a, sizeof a));
    fs__text_fit(dl, th, FS__PAD, y, th->text, line);
}

/* The count grid and its labels, the time grid. */
static void fs__grid(fs_viz_drawlist *dl, const fs_viz_theme *th, const fs_viz_plot_layout *l,
                     int top, int64_t t_step)
{
    int cw = th->char_w, lh = th->line_h, bottom = top + l->plot_h;
    fs_viz_rect(dl, l->plot_x, top, l->plot_w, l->plot_h, th->panel_bg);
    for (uint64_t v = 0; v <= l->y_max; v += l->y_step) {
        int y = bottom - (int)((double)v * l->plot_h / (double)l->y_max);
        if (v > 0)
            fs_viz_line(dl, l->plot_x, y, l->plot_x + l->plot_w - 1, y, th->grid);
        char b[32];
        fs_format_count((int64_t)v, b, sizeof b);
        int w = (int)strlen(b) * cw;
        /* centred on its line; 0 just above, clear of the time labels */
        fs_viz_text(dl, l->plot_x - cw / 2 - w, v > 0 ? y - lh / 2 : y - lh + 1, th->text_dim,
                    cw, b);
    }
    for (double k = ceil((double)l->t0 / (double)t_step); k * (double)t_step <= (double)l->t1; k++) {
        int64_t t = (int64_t)k * t_step;
        int x = fs_viz_plot_x(l, t);
        if (x > l->plot_x && x < l->plot_x + l->plot_w)
            fs_viz_line(dl, x, top, x, bottom - 1, th->grid);
        fs_viz_line(dl, x, bottom, x, bottom + 4, th->border);
        char b[32];
        fs_viz_format_tick(t, t_step, b, sizeof b);
        int w = fs_viz_text_cols(b, strlen(b)) * cw;
        int lx = x - w / 2;
        lx = lx + w > FS__W - FS__PAD / 2 ? FS__W - FS__PAD / 2 - w : lx < FS__PAD / 2 ? FS__PAD / 2 : lx;
        fs_viz_text(dl, lx, bottom + 5, th->text, cw, b);
    }
    fs_viz_line(dl, l->plot_x, bottom, l->plot_x + l->plot_w - 1, bottom, th->border);
    fs_viz_line(dl, l->plot_x, top, l->plot_x, bottom, th->border);
}

static void fs__bars(fs_viz_drawlist *dl, const fs_viz_theme *th, const fs_viz_plot_desc *d,
                     const fs_viz_plot_layout *l, int e)
{
    const fs_explore_hist *h = d->hist;
    int top = l->plot_y[e], bottom = top + l->plot_h, cw = th->char_w, lh = th->line_h;
    int label_end = 0;  /* right edge of the last failure count drawn */
    for (int i = 0; i < h->n_bins; i++) {
        int xa = fs_viz_plot_x(l, h->lo + i * h->width);
        int xb = fs_viz_plot_x(l, h->lo + (i + 1) * h->width);
        if (xb - xa >= 4) { /* a gap between neighbours */
            xa++;
            xb--;
        }
        if (xb <= xa)
            xb = xa + 1;
        int y = bottom;
        for (size_t k = 0; k < sizeof fs__stack / sizeof *fs__stack; k++) {
            uint64_t n = h->counts[e][i][fs__stack[k]];
            if (n == 0)
                continue;
            int px = (int)lround((double)n * l->plot_h / (double)l->y_max);
            px = px < FS__MIN_SEG ? FS__MIN_SEG : px;
            px = y - px < top ? y - top : px;
            if (px <= 0)
                break;
            y -= px;
            fs_viz_rect(dl, xa, y, xb - xa, px, fs_viz_plot_color(th, fs__stack[k]));
        }
        /* the runs that failed, over the bar: a few px of colour are easy
         * to miss, and they are what the sweep looks for */
        uint64_t failed = fs__bin_total(h, e, i) - h->counts[e][i][FS_OUTCOME_OK];
        if (failed == 0)
            continue;
        char b[32];
        fs_format_count((int64_t)failed, b, sizeof b);
        int w = (int)strlen(b) * cw, lx = (xa + xb - w) / 2;
        if (lx <= label_end)
            continue; /* would overlap the neighbour's: the colour still shows */
        fs_viz_text(dl, lx, y - lh - 1 < top ? top : y - lh - 1, th->text, cw, b);
        label_end = lx + w + cw / 2;
    }
}

/* p50 (solid) and p99 (dotted) down through the bars, each tagged with its
 * time in a row of its own above them, so the two tags never overlap. */
static void fs__marks(fs_viz_drawlist *dl, const fs_viz_theme *th, const fs_viz_plot_desc *d,
                      const fs_viz_plot_layout *l, int e)
{
    const fs_explore_summary *s = &d->sums[e];
    int lh = th->line_h, cw = th->char_w, bottom = l->plot_y[e] + l->plot_h;
    int64_t v[2] = {s->end_ns.p50, s->end_ns.p99};
    static const char *const names[2] = {"p50", "p99"};
    for (int k = 0; k < 2; k++) {
        int x = fs_viz_plot_x(l, v[k]);
        int tag_y = l->plot_y[e] - 2 * lh - 2 + k * lh;
        if (k == 0)
            fs_viz_line(dl, x, tag_y, x, bottom - 1, th->text);
        else
            for (int y = tag_y; y < bottom; y += 4)
                fs_viz_line(dl, x, y, x, y + 1, th->text);
        char t[32], tag[48];
        snprintf(tag, sizeof tag, "%s %s", names[k], fs_format_ns(v[k], t, sizeof t));
        int w = fs_viz_text_cols(tag, strlen(tag)) * cw;
        int tx = x + 4 + w <= l->plot_x + l->plot_w ? x + 4 : x - 4 - w;
        fs_viz_text(dl, tx, tag_y, th->text, cw, tag);
    }
}

void fs_viz_plot_build(fs_viz_drawlist *dl, const fs_viz_theme *th, const fs_viz_plot_desc *d,
                       const fs_viz_plot_layout *l)
{
    int lh = th->line_h;
    fs_viz_drawlist_clear(dl);
    fs_viz_rect(dl, 0, 0, l->w, l->h, th->bg);
    int y = FS__PAD;
    fs__text_fit(dl, th, FS__PAD, y, th->text, d->title);
    y += lh + 2;
    fs__text_fit(dl, th, FS__PAD, y, th->text_dim, d->subtitle);
    y += lh + 6;
    fs__legend(dl, th, d, y);
    int64_t t_step = fs_viz_tick_step((double)(l->t1 - l->t0), l->plot_w, th->tick_min_px);
    for (int e = 0; e < d->n_exec; e++) {
        fs__header(dl, th, d, e, l->plot_y[e] - 3 * lh - 6);
        fs__grid(dl, th, l, l->plot_y[e], t_step);
        fs__bars(dl, th, d, l, e);
        if (d->sums[e].runs > 0)
            fs__marks(dl, th, d, l, e);
    }
    char w[32], line[256];
    snprintf(line, sizeof line, "x: the simulated time a run ended; y: runs, per %s of end time, "
             "stacked by outcome; over a bar: the runs that were not ok",
             fs_viz_format_tick(d->hist->width, d->hist->width, w, sizeof w));
    fs__text_fit(dl, th, FS__PAD, l->h - FS__PAD - lh, th->text_dim, line);
}
