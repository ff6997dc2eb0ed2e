import type { TFunction } from 'i18next';
import type { Breakdown, Cell, Heatmap, MetricsResult } from '../../../shared/metrics/definitions.js';
import type { ChartOption, TableData } from './ChartCard.js';

export const cellNumber = (cell: Cell): number | null => ('value' in cell ? cell.value : null);
export const cellLabel = (cell: Cell): string => ('value' in cell ? String(cell.value) : cell.display);

export type Labeller = (key: string) => string;

/** Names for categories, from the app's shared vocabularies; unknown keys are shown as recorded. */
export function categoryLabeller(t: TFunction, group: 'channel' | 'requestType' | 'signalerType' | 'heardAbout' | 'languageName' | 'category', areaNames: Record<string, string> = {}): Labeller {
  return (key) => {
    if (key === 'unknown') return t('reports.category.unknown');
    if (areaNames[key]) return areaNames[key];
    if (/^\d+_\d+$/.test(key)) return key.replace('_', '–');
    if (/^\d+_plus$/.test(key)) return `${key.split('_')[0]}+`;
    const fromGroup = group === 'category' ? undefined : t(`${group}.${key}`, { defaultValue: '' });
    return fromGroup || t(`reports.category.${key.replace(':', '_')}`, { defaultValue: key.replace(/_/g, ' ') });
  };
}

const axisText = { color: '#1a1b1e' };

/** Horizontal bars (long category names stay readable); suppressed cells show as gaps, the table says why. */
export function barOption(b: Breakdown, label: Labeller, previous?: Breakdown, names?: { current: string; previous: string }): ChartOption {
  const keys = b.rows.map((r) => r.key).reverse();
  const prevByKey = new Map(previous?.rows.map((r) => [r.key, cellNumber(r.cell)]) ?? []);
  return {
    grid: { left: 8, right: 24, top: previous ? 28 : 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    ...(previous && { legend: { top: 0, textStyle: axisText } }),
    xAxis: { type: 'value', minInterval: 1, axisLabel: axisText },
    yAxis: { type: 'category', data: keys.map(label), axisLabel: { ...axisText, width: 160, overflow: 'truncate' } },
    series: [
      { name: names?.current, type: 'bar', data: keys.map((k) => cellNumber(b.rows.find((r) => r.key === k)!.cell)), label: { show: true, position: 'right', color: '#1a1b1e' } },
      ...(previous ? [{ name: names?.previous, type: 'bar', data: keys.map((k) => prevByKey.get(k) ?? null), itemStyle: { opacity: 0.6 } }] : []),
    ],
  };
}

export function breakdownTable(b: Breakdown, label: Labeller, t: TFunction, previous?: Breakdown): TableData {
  const prevByKey = new Map(previous?.rows.map((r) => [r.key, cellLabel(r.cell)]) ?? []);
  const columns = [t('reports.categoryColumn'), t('reports.count'), ...(previous ? [t('reports.previousPeriod')] : [])];
  const rows = b.rows.map((r) => [label(r.key), cellLabel(r.cell), ...(previous ? [prevByKey.get(r.key) ?? '0'] : [])]);
  rows.push([t('reports.total'), cellLabel(b.total), ...(previous ? [cellLabel(previous.total)] : [])]);
  return { columns, rows };
}

export function trendOption(m: MetricsResult, t: TFunction, previous?: MetricsResult): ChartOption {
  const num = (v: number | string) => (typeof v === 'number' ? v : null);
  return {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: axisText },
    xAxis: { type: 'category', data: m.trend.points.map((p) => (m.trend.bucket === 'month' ? p.start.slice(0, 7) : p.start.slice(5))), axisLabel: axisText },
    yAxis: { type: 'value', minInterval: 1, axisLabel: axisText },
    series: [
      { name: t('reports.contacts'), type: 'line', data: m.trend.points.map((p) => num(p.contacts)), symbolSize: 5 },
      { name: t('reports.casesOpened'), type: 'line', data: m.trend.points.map((p) => num(p.casesOpened)), symbolSize: 5 },
      ...(previous ? [{ name: t('reports.contactsPrevious'), type: 'line', data: previous.trend.points.map((p) => num(p.contacts)), lineStyle: { type: 'dashed' }, symbolSize: 3 }] : []),
    ],
  };
}

export function trendTable(m: MetricsResult, t: TFunction, previous?: MetricsResult): TableData {
  return {
    columns: [t('reports.periodStart'), t('reports.contacts'), t('reports.casesOpened'), ...(previous ? [t('reports.contactsPrevious')] : [])],
    rows: m.trend.points.map((p, i) => [p.start, p.contacts, p.casesOpened, ...(previous ? [previous.trend.points[i]?.contacts ?? ''] : [])]),
  };
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function heatmapOption(h: Heatmap, t: TFunction): ChartOption {
  const data: [number, number, number | string][] = [];
  let max = 1;
  h.cells.forEach((row, hour) => row.forEach((cell, dow) => {
    const n = cellNumber(cell);
    if (n !== null) max = Math.max(max, n);
    data.push([dow, hour, n ?? '-']);
  }));
  return {
    grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
    tooltip: {},
    xAxis: { type: 'category', data: WEEKDAYS.map((d) => t(`weekday.${d}`)), axisLabel: axisText, splitArea: { show: true } },
    yAxis: { type: 'category', data: Array.from({ length: 24 }, (_, i) => `${String(i).padStart(2, '0')}:00`), axisLabel: axisText, inverse: true },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, textStyle: axisText, inRange: { color: ['#f1f5fb', '#1c4f9c'] } },
    series: [{ type: 'heatmap', data, label: { show: false } }],
  };
}

export function heatmapTable(h: Heatmap, t: TFunction): TableData {
  return {
    columns: [t('reports.hour'), ...WEEKDAYS.map((d) => t(`weekday.${d}`)), t('reports.total')],
    rows: [
      ...h.cells.map((row, hour) => [`${String(hour).padStart(2, '0')}:00`, ...row.map(cellLabel), cellLabel(h.rowTotals[hour])]),
      [t('reports.total'), ...h.columnTotals.map(cellLabel), cellLabel(h.total)],
    ],
  };
}

/** A duration in the unit that reads best: seconds, minutes, hours or days. */
export function formatDuration(t: TFunction, seconds: number | null, na: string): string {
  if (seconds === null) return na;
  const round = (v: number) => Math.round(v * 10) / 10;
  if (seconds < 120) return t('reports.unit.seconds', { n: Math.round(seconds) });
  if (seconds < 2 * 3600) return t('reports.unit.minutes', { n: round(seconds / 60) });
  if (seconds < 2 * 86400) return t('reports.unit.hours', { n: round(seconds / 3600) });
  return t('reports.unit.days', { n: round(seconds / 86400) });
}

/** One circle per area with a point: its area ∝ the count (a hidden count is drawn as an empty ring, never sized). */
export function areaBubbles(byArea: Breakdown, areas: { code: string; lat?: number; lon?: number }[], label: Labeller) {
  const max = Math.max(1, ...byArea.rows.map((r) => cellNumber(r.cell) ?? 0));
  const placed = areas.filter((a) => a.lat !== undefined && a.lon !== undefined);
  const bubbles = byArea.rows
    .map((r) => ({ row: r, area: placed.find((a) => a.code === r.key) }))
    .filter((x): x is { row: (typeof byArea.rows)[number]; area: { code: string; lat?: number; lon?: number } } => !!x.area)
    .map(({ row, area }) => {
      const n = cellNumber(row.cell);
      return { code: area.code, name: label(area.code), lat: area.lat!, lon: area.lon!, label: cellLabel(row.cell), hidden: n === null, radius: n === null ? 6 : 6 + 30 * Math.sqrt(n / max) };
    });
  const unplaced = byArea.rows.filter((r) => !placed.some((a) => a.code === r.key) && (cellNumber(r.cell) ?? 1) > 0).map((r) => label(r.key));
  return { bubbles, unplaced };
}
