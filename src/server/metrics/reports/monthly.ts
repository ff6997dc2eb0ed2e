/**
 * The monthly operations report (issue 8), as PDF (pdfkit, with a vector ECharts chart) and XLSX (exceljs). It is
 * meant to leave the building (boards, funders, governments), so every count in it is small-cell suppressed,
 * whoever asks for it. Both formats are built from the same tables, so they always agree.
 */
import PDFDocument from 'pdfkit';
import ExcelJS from 'exceljs';
import { cellText, monthPeriod, type Breakdown, type Cell, type MetricsResult, type MonthQuery } from '../../../shared/metrics/definitions.js';
import type { DbOrTx } from '../../db/db.js';
import { computeMetrics } from '../metrics.service.js';
import { drawSvg, trendChartSvg } from './chart.js';
import { reportWords, type ReportLocale } from './labels.js';

export interface MonthlyReport {
  month: string;
  hotlineName: string;
  locale: ReportLocale;
  current: MetricsResult;
  previous: MetricsResult;
  areaNames: Record<string, string>;
  generatedAt: Date;
}

export interface ReportTable {
  title: string;
  columns: string[];
  rows: string[][];
}

export async function buildMonthlyReport(
  db: DbOrTx,
  hotlineId: string,
  query: MonthQuery,
  options: { now?: Date; shortAbandonSeconds?: number; areaNames?: Record<string, string> } = {},
): Promise<MonthlyReport> {
  const { from, to } = monthPeriod(query.month);
  const previous = previousMonth(query.month);
  const filters = { area: query.area, channel: query.channel, requestType: query.requestType, traffickingType: query.traffickingType };
  const compute = { suppress: true, now: options.now, shortAbandonSeconds: options.shortAbandonSeconds };
  const hotline = await db.selectFrom('hotline').select('name').where('id', '=', hotlineId).executeTakeFirstOrThrow();
  const [current, prior] = await Promise.all([
    computeMetrics(db, hotlineId, stripUndefined({ from, to, ...filters }), compute),
    computeMetrics(db, hotlineId, stripUndefined({ ...monthPeriod(previous), ...filters }), compute),
  ]);
  return { month: query.month, hotlineName: hotline.name, locale: query.locale ?? 'en', current, previous: prior, areaNames: options.areaNames ?? {}, generatedAt: options.now ?? new Date() };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const pct = (v: number | null) => (v === null ? null : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null) => (v === null ? null : String(v));

/** The report's tables, in order: the same content for the PDF and the workbook. */
export function reportTables(report: MonthlyReport): ReportTable[] {
  const { t, category } = reportWords(report.locale);
  const na = t('notAvailable');
  const cur = report.current, prev = report.previous;
  const offeredRow = (r: MetricsResult, key: string) => cellText(r.access.live.offered.rows.find((x) => x.key === key)!.cell);
  const headline: [string, (r: MetricsResult) => string | null][] = [
    [t('contacts'), (r) => cellText(r.access.contacts)],
    [t('offered'), (r) => cellText(r.access.live.offered.total)],
    [t('answered'), (r) => offeredRow(r, 'answered')],
    [t('abandoned'), (r) => offeredRow(r, 'abandoned')],
    [t('shortAbandons'), (r) => cellText(r.access.live.shortAbandons)],
    [t('serviceLevel'), (r) => pct(r.access.live.serviceLevel)],
    [t('asa'), (r) => num(r.access.live.speedOfAnswerSeconds.mean)],
    [t('aht'), (r) => num(r.access.live.handleSeconds.mean)],
    [t('casesOpened'), (r) => cellText(r.situations.casesOpened.total)],
    [t('casesClosed'), (r) => cellText(r.situations.casesClosed)],
    [t('potentialVictims'), (r) => cellText(r.situations.potentialVictims)],
    [t('missingAny'), (r) => cellText(r.quality.missingAny)],
  ];
  const breakdown = (title: string, b: Breakdown, name: (k: string) => string = category): ReportTable => ({
    title,
    columns: [t('category'), t('count')],
    rows: [...b.rows.map((r) => [name(r.key), cellText(r.cell)]), [t('total'), cellText(b.total)]],
  });
  const area = (k: string) => report.areaNames[k] ?? category(k);
  return [
    { title: t('headline'), columns: [t('metric'), t('thisMonth'), t('previousMonth')], rows: headline.map(([label, f]) => [label, f(cur) ?? na, f(prev) ?? na]) },
    breakdown(t('byChannel'), cur.access.byChannel),
    breakdown(t('byRequestType'), cur.access.byRequestType),
    breakdown(t('byArea'), cur.access.byArea, area),
    breakdown(t('casesByType'), cur.situations.casesOpened),
    breakdown(t('victimsByAge'), cur.situations.victimsByAgeGroup),
    breakdown(t('tasks'), cur.response.tasks),
    breakdown(t('reportsSent'), cur.response.reportsSent),
    breakdown(t('referralsMade'), cur.response.referrals.made),
    breakdown(t('emergencyRequests'), cur.situations.emergencyRequests),
    { title: t('quality'), columns: [t('category'), t('count')], rows: [...cur.quality.missingByField.rows.map((r) => [category(r.key), cellText(r.cell)]), [t('total'), cellText(cur.quality.closedDataContacts)]] },
  ];
}

function filterText(report: MonthlyReport): string {
  const { t, category } = reportWords(report.locale);
  const f = report.current.filters;
  const parts = [f.area && (report.areaNames[f.area] ?? f.area), f.channel && category(f.channel), f.requestType && category(f.requestType), f.traffickingType && category(f.traffickingType)].filter(Boolean);
  return parts.length ? parts.join(', ') : t('none');
}

export async function renderMonthlyPdf(report: MonthlyReport): Promise<Buffer> {
  const { t } = reportWords(report.locale);
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `${t('title')} ${report.month}`, Author: report.hotlineName }, bufferPages: true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  doc.font('Helvetica-Bold').fontSize(18).fillColor('#111').text(`${t('title')} — ${report.hotlineName}`);
  doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#333');
  doc.text(`${t('period')}: ${report.current.period.from} – ${report.current.period.to} (${report.current.period.timezone}, ${report.month})`);
  doc.text(`${t('filters')}: ${filterText(report)}`);
  doc.text(`${t('generated')}: ${report.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  doc.moveDown(0.3).fontSize(8.5).fillColor('#444').text(t('suppressionNote', { max: report.current.threshold - 1, t: report.current.threshold }), { width });

  // The trend chart, vector: ECharts SVG replayed as PDF paths.
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).fillColor('#111').text(t('trend'));
  const points = report.current.trend.points;
  const asNumber = (v: number | string) => (typeof v === 'number' ? v : null);
  const svg = trendChartSvg({
    labels: points.map((p) => p.start.slice(8)),
    lines: [
      { name: t('contacts'), type: 'line', values: points.map((p) => asNumber(p.contacts)) },
      { name: t('casesOpened'), type: 'bar', values: points.map((p) => asNumber(p.casesOpened)) },
    ],
    width: 620,
    height: 220,
  });
  const scale = width / 620;
  const top = doc.y + 4;
  drawSvg(doc as never, svg, left, top, scale);
  doc.x = left;
  doc.y = top + 220 * scale + 8;

  for (const table of reportTables(report)) drawTable(doc, table, left, width);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - 36;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#444').text(`${report.hotlineName} · ${t('title')} ${report.month} · ${t('page')} ${i + 1}/${range.count}`, left, y, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

export function drawTable(doc: PDFKit.PDFDocument, table: ReportTable, left: number, width: number) {
  const rowHeight = 14;
  const needed = 24 + rowHeight * (table.rows.length + 1);
  if (doc.y + Math.min(needed, 120) > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(11).fillColor('#111').text(table.title, left);
  const firstWidth = table.columns.length === 2 ? width * 0.7 : width * 0.5;
  const otherWidth = (width - firstWidth) / (table.columns.length - 1);
  const x = (i: number) => (i === 0 ? left : left + firstWidth + otherWidth * (i - 1));
  const w = (i: number) => (i === 0 ? firstWidth : otherWidth);
  const line = (cells: string[], bold: boolean) => {
    if (doc.y + rowHeight > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y + 2;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).fillColor('#111');
    cells.forEach((c, i) => doc.text(c, x(i) + 2, y, { width: w(i) - 4, align: i === 0 ? 'left' : 'right', lineBreak: false }));
    doc.moveTo(left, y + rowHeight - 2).lineTo(left + width, y + rowHeight - 2).lineWidth(0.4).stroke('#999');
    doc.x = left;
    doc.y = y + rowHeight;
  };
  line(table.columns, true);
  table.rows.forEach((r, i) => line(r, i === table.rows.length - 1 && table.rows.length > 1 && table.columns.length === 2));
}

export async function renderMonthlyXlsx(report: MonthlyReport): Promise<Buffer> {
  const { t } = reportWords(report.locale);
  const book = new ExcelJS.Workbook();
  book.creator = 'Catalyst';
  book.created = report.generatedAt;
  const about = book.addWorksheet(report.month);
  about.addRow([`${t('title')} — ${report.hotlineName}`]).font = { bold: true, size: 14 };
  about.addRow([t('period'), `${report.current.period.from} – ${report.current.period.to}`, report.current.period.timezone]);
  about.addRow([t('filters'), filterText(report)]);
  about.addRow([t('generated'), report.generatedAt.toISOString()]);
  about.addRow([t('suppressionNote', { max: report.current.threshold - 1, t: report.current.threshold })]);
  about.addRow([]);
  for (const table of reportTables(report)) {
    about.addRow([table.title]).font = { bold: true };
    about.addRow(table.columns).font = { bold: true };
    // A published count goes in as a number, a suppression mark as text: spreadsheets sum only what was published.
    for (const row of table.rows) about.addRow(row.map((v, i) => (i > 0 && /^\d+$/.test(v) ? Number(v) : v)));
    about.addRow([]);
  }
  about.getColumn(1).width = 48;
  for (const c of [2, 3]) about.getColumn(c).width = 18;
  const trend = book.addWorksheet(t('trend').slice(0, 31));
  trend.addRow([t('period'), t('contacts'), t('casesOpened')]).font = { bold: true };
  for (const p of report.current.trend.points) trend.addRow([p.start, p.contacts, p.casesOpened]);
  trend.getColumn(1).width = 14;
  return Buffer.from(await book.xlsx.writeBuffer());
}

export function cellOrNull(cell: Cell): number | null {
  return 'value' in cell ? cell.value : null;
}
