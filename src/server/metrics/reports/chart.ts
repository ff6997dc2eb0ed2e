/**
 * Charts for server-made documents: Apache ECharts renders SVG without a DOM, and `drawSvg` replays that SVG's paths
 * and texts on a PDFKit page, so the chart stays vector in the PDF (no browser, no raster).
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, SVGRenderer]);

export function trendChartSvg(opts: { labels: string[]; lines: { name: string; values: (number | null)[]; type: 'line' | 'bar' }[]; width: number; height: number }): string {
  const chart = echarts.init(null as unknown as HTMLElement, null, { renderer: 'svg', ssr: true, width: opts.width, height: opts.height });
  chart.setOption({
    animation: false,
    color: ['#1c4f9c', '#b35c00'],
    textStyle: { fontFamily: 'Helvetica', color: '#222' },
    legend: { top: 0, textStyle: { color: '#222' } },
    grid: { left: 40, right: 16, top: 30, bottom: 28 },
    xAxis: { type: 'category', data: opts.labels, axisLabel: { color: '#333', fontSize: 9 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#333', fontSize: 9 } },
    series: opts.lines.map((l) => ({ name: l.name, type: l.type, data: l.values, symbolSize: 3, barMaxWidth: 10 })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

interface PdfLike {
  save(): PdfLike;
  restore(): PdfLike;
  transform(a: number, b: number, c: number, d: number, e: number, f: number): PdfLike;
  path(d: string): PdfLike;
  fill(color?: string): PdfLike;
  stroke(color?: string): PdfLike;
  fillAndStroke(fill?: string, stroke?: string): PdfLike;
  lineWidth(w: number): PdfLike;
  fillColor(c: string): PdfLike;
  fontSize(s: number): PdfLike;
  font(name: string): PdfLike;
  text(t: string, x: number, y: number, opts?: Record<string, unknown>): PdfLike;
  widthOfString(t: string): number;
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

function matrixOf(transform: string | undefined): [number, number, number, number, number, number] {
  if (!transform) return [1, 0, 0, 1, 0, 0];
  const m = /matrix\(([^)]+)\)/.exec(transform);
  if (m) return m[1].split(/[ ,]+/).map(Number) as [number, number, number, number, number, number];
  const t = /translate\(([^)]+)\)/.exec(transform);
  if (t) {
    const [x, y = 0] = t[1].split(/[ ,]+/).map(Number);
    return [1, 0, 0, 1, x, y];
  }
  return [1, 0, 0, 1, 0, 0];
}

const paint = (v: string | undefined) => (v && v !== 'none' && !v.startsWith('url(') ? (v === 'transparent' ? undefined : v) : undefined);

/** Draws the `<path>` and `<text>` elements of an ECharts SVG at (x, y) scaled by `scale`. */
export function drawSvg(doc: PdfLike, svg: string, x: number, y: number, scale: number) {
  doc.save();
  doc.transform(scale, 0, 0, scale, x, y);
  // Clip paths and gradients (in <defs> or <clipPath>) are not drawn.
  const drawn = svg.replace(/<defs>[\s\S]*?<\/defs>/g, '').replace(/<clipPath\b[\s\S]*?<\/clipPath>/g, '');
  for (const match of drawn.matchAll(/<(path|text)\b([^>]*)>(?:([^<]*)<\/text>)?/g)) {
    const [, kind, tag, content] = match;
    const [a, b, c, d, e, f] = matrixOf(attr(tag, 'transform'));
    doc.save();
    doc.transform(a, b, c, d, e, f);
    if (kind === 'path') {
      const dAttr = attr(tag, 'd');
      const fill = attr(tag, 'fill-opacity') === '0' ? undefined : paint(attr(tag, 'fill') ?? '#000');
      const stroke = attr(tag, 'stroke-width') === '0' ? undefined : paint(attr(tag, 'stroke'));
      if (dAttr && (fill || stroke)) {
        doc.lineWidth(Number(attr(tag, 'stroke-width') ?? 1));
        doc.path(dAttr);
        if (fill && stroke) doc.fillAndStroke(fill, stroke);
        else if (fill) doc.fill(fill);
        else doc.stroke(stroke);
      }
    } else if (content) {
      const text = content.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
      const size = Number(/font-size:(\d+(?:\.\d+)?)px/.exec(attr(tag, 'style') ?? '')?.[1] ?? 12);
      doc.font('Helvetica').fontSize(size).fillColor(paint(attr(tag, 'fill')) ?? '#222');
      const width = doc.widthOfString(text);
      const anchor = attr(tag, 'text-anchor');
      const dx = anchor === 'end' ? -width : anchor === 'middle' ? -width / 2 : 0;
      const baseline = attr(tag, 'dominant-baseline');
      const dy = Number(attr(tag, 'y') ?? 0) + (baseline === 'central' ? -size / 2 : baseline === 'hanging' ? 0 : -size * 0.8);
      doc.text(text, Number(attr(tag, 'x') ?? 0) + dx, dy, { lineBreak: false });
    }
    doc.restore();
  }
  doc.restore();
}
