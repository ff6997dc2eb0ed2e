/**
 * The funder performance-indicator report and the annual public statistics report (issue 8), as PDF and XLSX in
 * en/es/fr. Both are meant to be published, so they are always small-cell suppressed, whoever downloads them — and
 * suppressed as one linked table: every breakdown of a population shares that population's total (contacts by
 * channel and by area have the same total), nested breakdowns are tied to their parent cell (outcomes add up to the
 * accepted referrals), and complementary suppression runs over all those equations at once. The same equations are
 * what `attackReport` (and the tests) give the attacker: no hidden cell may be pinned to one value.
 *
 * Partner counts (new and total vetted partners) are organisations from the hotline's public HSDS directory, not
 * people: they are shown as they are.
 */
import PDFDocument from 'pdfkit';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { EMERGENCY_KINDS, type Breakdown, type Distribution } from '../../../shared/metrics/definitions.js';
import '../../directory/directory.tables.js';
import { DEFAULT_NEEDS } from '../../../shared/directory/needs.js';
import type { DbOrTx } from '../../db/db.js';
import { attackPublication, type HiddenRange } from '../attacker.js';
import { computeMetrics } from '../metrics.service.js';
import { DEFAULT_SUPPRESSION_THRESHOLD, displayCell, suppressLinear, type LinearTable, type PublishedCell } from '../suppression.js';
import { drawSvg, trendChartSvg } from './chart.js';
import { reportWords, type ReportLocale } from './labels.js';
import { drawTable, type ReportTable } from './monthly.js';

export type StandardKind = 'funder' | 'annual';

/** A table of the report: labelled rows, each a cell of the linked table (or a text such as "not available"). */
interface Section {
  title: string;
  columns: string[];
  rows: { label: string; cell?: string; text?: string }[];
  note?: string;
}

export interface StandardReport {
  kind: StandardKind;
  locale: ReportLocale;
  hotlineName: string;
  period: { from: string; to: string; timezone: string };
  generatedAt: Date;
  threshold: number;
  sections: Section[];
  /** The linked table: every count, and every relation an attacker knows (totals are sums of their parts). */
  table: LinearTable;
  published: Map<string, PublishedCell>;
  trend?: { labels: string[]; contacts: (number | null)[]; cases: (number | null)[] };
}

const WORDS: Record<ReportLocale, Record<string, string>> = {
  en: {
    funderTitle: 'Performance indicators for funders', annualTitle: 'Annual public statistics', headline: 'Key figures', indicator: 'Indicator', value: 'Value',
    emergency: 'Emergency requests by type (cases referred for the need)', extraction: 'Extraction', notAvailable: 'not available (no structured record yet)',
    referralsMade: 'Referrals made, by where they stand', outcomes: 'Accepted referrals by outcome', needsReferred: 'Needs referred (once per case)', unmet: 'Unmet needs (every referral declined or cancelled)',
    noPartner: 'Need searches that found no partner', partners: 'Partner organisations (vetted, public directory)', newPartners: 'New partners in the period', totalPartners: 'Partners at the end of the period',
    acknowledge: 'Time for partners to answer a referral (hours)', median: 'Median', p90: '90th percentile', count: 'Count', casesByType: 'Cases opened by trafficking type', casesByArea: 'Cases opened by area',
    contactsByChannel: 'Contacts by channel', contactsByType: 'Contacts by request type', contactsByArea: 'Contacts by area', contactsByMonth: 'Contacts by month', casesByMonth: 'Cases opened by month',
    victimsByAge: 'Potential victims by age group', victimsByGender: 'Potential victims by gender', reportsSent: 'Reports sent to authorities, by basis', trendTitle: 'Contacts and cases opened per month',
    referralsTotal: 'Referrals made', emergencyTotal: 'Emergency requests', partnersNote: 'Partners are organisations of the public directory: their counts are not suppressed.',
  },
  es: {
    funderTitle: 'Indicadores de desempeño para financiadores', annualTitle: 'Estadísticas públicas anuales', headline: 'Cifras clave', indicator: 'Indicador', value: 'Valor',
    emergency: 'Solicitudes de emergencia por tipo (casos derivados por la necesidad)', extraction: 'Extracción', notAvailable: 'no disponible (aún sin registro estructurado)',
    referralsMade: 'Derivaciones realizadas, según su estado', outcomes: 'Derivaciones aceptadas por resultado', needsReferred: 'Necesidades derivadas (una vez por caso)', unmet: 'Necesidades no cubiertas (toda derivación rechazada o cancelada)',
    noPartner: 'Búsquedas de necesidades sin socio', partners: 'Organizaciones socias (verificadas, directorio público)', newPartners: 'Socios nuevos en el periodo', totalPartners: 'Socios al final del periodo',
    acknowledge: 'Tiempo de respuesta de los socios a una derivación (horas)', median: 'Mediana', p90: 'Percentil 90', count: 'Recuento', casesByType: 'Casos abiertos por tipo de trata', casesByArea: 'Casos abiertos por zona',
    contactsByChannel: 'Contactos por canal', contactsByType: 'Contactos por tipo de solicitud', contactsByArea: 'Contactos por zona', contactsByMonth: 'Contactos por mes', casesByMonth: 'Casos abiertos por mes',
    victimsByAge: 'Posibles víctimas por grupo de edad', victimsByGender: 'Posibles víctimas por género', reportsSent: 'Denuncias enviadas a las autoridades, por fundamento', trendTitle: 'Contactos y casos abiertos por mes',
    referralsTotal: 'Derivaciones realizadas', emergencyTotal: 'Solicitudes de emergencia', partnersNote: 'Los socios son organizaciones del directorio público: sus recuentos no se suprimen.',
  },
  fr: {
    funderTitle: 'Indicateurs de performance pour les bailleurs', annualTitle: 'Statistiques publiques annuelles', headline: 'Chiffres clés', indicator: 'Indicateur', value: 'Valeur',
    emergency: 'Demandes urgentes par type (cas orientés pour ce besoin)', extraction: 'Extraction', notAvailable: 'non disponible (pas encore de donnée structurée)',
    referralsMade: 'Orientations faites, selon leur état', outcomes: 'Orientations acceptées par résultat', needsReferred: 'Besoins orientés (une fois par cas)', unmet: 'Besoins non couverts (toute orientation refusée ou annulée)',
    noPartner: 'Recherches de besoin sans partenaire', partners: 'Organisations partenaires (vérifiées, annuaire public)', newPartners: 'Nouveaux partenaires sur la période', totalPartners: 'Partenaires en fin de période',
    acknowledge: 'Délai de réponse des partenaires à une orientation (heures)', median: 'Médiane', p90: '90e centile', count: 'Effectif', casesByType: 'Cas ouverts par type de traite', casesByArea: 'Cas ouverts par zone',
    contactsByChannel: 'Contacts par canal', contactsByType: 'Contacts par type de demande', contactsByArea: 'Contacts par zone', contactsByMonth: 'Contacts par mois', casesByMonth: 'Cas ouverts par mois',
    victimsByAge: "Victimes potentielles par tranche d'âge", victimsByGender: 'Victimes potentielles par genre', reportsSent: 'Signalements envoyés aux autorités, par fondement', trendTitle: 'Contacts et cas ouverts par mois',
    referralsTotal: 'Orientations faites', emergencyTotal: 'Demandes urgentes', partnersNote: "Les partenaires sont des organisations de l'annuaire public : leurs effectifs ne sont pas masqués.",
  },
};

const NEED_LABELS = new Map(DEFAULT_NEEDS.map((n) => [n.key, n.labels]));

function words(locale: ReportLocale) {
  const base = reportWords(locale);
  return {
    t: (key: string, vars: Record<string, string | number> = {}) => (WORDS[locale][key] ? WORDS[locale][key] : base.t(key, vars)),
    // Needs by their directory names (the hotline may rename them; the default taxonomy's names here).
    category: (key: string) => NEED_LABELS.get(key)?.[locale] ?? base.category(key),
  };
}

/** Builds the linked table: cells by id, and equations parent = Σ parts. */
class Linked {
  readonly cells = new Map<string, number>();
  readonly equations: { total: string; parts: string[] }[] = [];

  cell(id: string, value: number): string {
    const known = this.cells.get(id);
    if (known !== undefined && known !== value) throw new Error(`cell ${id} is both ${known} and ${value}`);
    this.cells.set(id, value);
    return id;
  }

  /** A breakdown of `total` (an existing or new cell): its parts get ids `${prefix}:${key}`. */
  partition(total: string, totalValue: number, prefix: string, entries: [string, number][]): string[] {
    this.cell(total, totalValue);
    const ids = entries.map(([key, value]) => this.cell(`${prefix}:${key}`, value));
    if (ids.length > 0) this.equations.push({ total, parts: ids });
    return ids;
  }
}

const exact = (b: Breakdown): [string, number][] => b.rows.map((r) => [r.key, 'value' in r.cell ? r.cell.value : 0]);
const totalOf = (b: Breakdown) => ('value' in b.total ? b.total.value : 0);

export interface StandardQuery {
  from: string;
  to: string;
  locale: ReportLocale;
}

/** Figures of the period (exact), then suppressed together as one linked table. */
export async function buildStandardReport(db: DbOrTx, hotlineId: string, kind: StandardKind, query: StandardQuery, options: { now?: Date; shortAbandonSeconds?: number; areaNames?: Record<string, string>; threshold?: number } = {}): Promise<StandardReport> {
  const now = options.now ?? new Date();
  const threshold = options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  const m = await computeMetrics(db, hotlineId, { from: query.from, to: query.to }, { suppress: false, now, shortAbandonSeconds: options.shortAbandonSeconds });
  const hotline = await db.selectFrom('hotline').select('name').where('id', '=', hotlineId).executeTakeFirstOrThrow();
  const { t, category } = words(query.locale);
  const area = (k: string) => options.areaNames?.[k] ?? category(k);
  const L = new Linked();
  const sections: Section[] = [];
  const breakdownSection = (title: string, total: string, prefix: string, b: Breakdown, name: (k: string) => string = category): Section => {
    const ids = L.partition(total, totalOf(b), prefix, exact(b));
    return { title, columns: [t('category'), t('count')], rows: [...b.rows.map((r, i) => ({ label: name(r.key), cell: ids[i] })), { label: t('total'), cell: total }] };
  };
  const r = m.response.referrals;
  // Referrals: made by state, the accepted ones by outcome (tied to the "accepted" cell).
  const referralSections = (): Section[] => {
    const made = breakdownSection(t('referralsMade'), 'referrals', 'referrals', r.made);
    const outcomes = breakdownSection(t('outcomes'), 'referrals:accepted', 'outcomes', r.outcomes);
    return [made, outcomes];
  };

  let trend: StandardReport['trend'];
  if (kind === 'funder') {
    const emergencyEntries: [string, number][] = exact(m.situations.emergencyRequests);
    const needs = exact(r.needsReferred);
    // Emergency needs are cells of the needs-referred table; their subtotal is one more equation.
    L.partition('needs', totalOf(r.needsReferred), 'need', needs);
    L.partition('emergency', emergencyEntries.reduce((s, [, v]) => s + v, 0), 'need', emergencyEntries);
    const partners = await partnerCounts(db, hotlineId, query, now);
    sections.push({
      title: t('headline'), columns: [t('indicator'), t('value')],
      rows: [
        { label: t('contacts'), cell: L.cell('contacts', totalOf(m.access.byChannel)) },
        { label: t('casesOpened'), cell: L.cell('cases', totalOf(m.situations.casesOpened)) },
        { label: t('potentialVictims'), cell: L.cell('victims', totalOf(m.situations.victimsByGender)) },
        { label: t('referralsTotal'), cell: L.cell('referrals', totalOf(r.made)) },
        { label: t('emergencyTotal'), cell: 'emergency' },
      ],
    });
    sections.push({
      title: t('emergency'), columns: [t('category'), t('count')],
      rows: [...EMERGENCY_KINDS.map((k) => ({ label: category(k), cell: `need:${k}` })), { label: t('extraction'), text: t('notAvailable') }, { label: t('total'), cell: 'emergency' }],
    });
    sections.push(...referralSections());
    sections.push(distributionSection(t('acknowledge'), r.acknowledgeSeconds, threshold, t, 3600));
    sections.push({ title: t('needsReferred'), columns: [t('category'), t('count')], rows: [...needs.map(([k]) => ({ label: category(k), cell: `need:${k}` })), { label: t('total'), cell: 'needs' }] });
    sections.push(breakdownSection(t('unmet'), 'unmet', 'unmet', r.unmetNeeds));
    if (r.needsWithoutPartner) sections.push(breakdownSection(t('noPartner'), 'noPartner', 'noPartner', r.needsWithoutPartner));
    sections.push({
      title: t('partners'), columns: [t('indicator'), t('value')], note: t('partnersNote'),
      rows: [{ label: t('newPartners'), text: String(partners.added) }, { label: t('totalPartners'), text: String(partners.total) }],
    });
    sections.push(breakdownSection(t('casesByType'), 'cases', 'caseType', m.situations.casesOpened));
  } else {
    sections.push({
      title: t('headline'), columns: [t('indicator'), t('value')],
      rows: [
        { label: t('contacts'), cell: L.cell('contacts', totalOf(m.access.byChannel)) },
        { label: t('casesOpened'), cell: L.cell('cases', totalOf(m.situations.casesOpened)) },
        { label: t('potentialVictims'), cell: L.cell('victims', totalOf(m.situations.victimsByGender)) },
        { label: t('referralsTotal'), cell: L.cell('referrals', totalOf(r.made)) },
      ],
    });
    const month = (start: string) => start.slice(0, 7);
    const byMonth = (values: (number | string)[]): [string, number][] => m.trend.points.map((p, i) => [month(p.start), Number(values[i])]);
    sections.push(breakdownSection(t('contactsByMonth'), 'contacts', 'contactMonth', { rows: byMonth(m.trend.points.map((p) => p.contacts)).map(([key, value]) => ({ key, cell: { value } })), total: m.access.contacts }, (k) => k));
    sections.push(breakdownSection(t('contactsByChannel'), 'contacts', 'channel', m.access.byChannel));
    sections.push(breakdownSection(t('contactsByType'), 'contacts', 'requestType', m.access.byRequestType));
    sections.push(breakdownSection(t('contactsByArea'), 'contacts', 'area', m.access.byArea, area));
    sections.push(breakdownSection(t('casesByMonth'), 'cases', 'caseMonth', { rows: byMonth(m.trend.points.map((p) => p.casesOpened)).map(([key, value]) => ({ key, cell: { value } })), total: m.situations.casesOpened.total }, (k) => k));
    sections.push(breakdownSection(t('casesByType'), 'cases', 'caseType', m.situations.casesOpened));
    sections.push(breakdownSection(t('casesByArea'), 'cases', 'caseArea', m.situations.openedByArea, area));
    sections.push(breakdownSection(t('victimsByAge'), 'victims', 'age', m.situations.victimsByAgeGroup));
    sections.push(breakdownSection(t('victimsByGender'), 'victims', 'gender', m.situations.victimsByGender));
    sections.push(breakdownSection(t('reportsSent'), 'reportsSent', 'reportBasis', m.response.reportsSent));
    sections.push(...referralSections());
  }

  const table: LinearTable = { cells: [...L.cells].map(([id, value]) => ({ id, value })), equations: L.equations };
  const { cells: published } = await suppressLinear(table, { threshold });
  if (kind === 'annual') {
    const shown = (id: string) => {
      const c = published.get(id)!;
      return 'value' in c ? c.value : null;
    };
    trend = { labels: m.trend.points.map((p) => p.start.slice(0, 7)), contacts: m.trend.points.map((p) => shown(`contactMonth:${p.start.slice(0, 7)}`)), cases: m.trend.points.map((p) => shown(`caseMonth:${p.start.slice(0, 7)}`)) };
  }
  return { kind, locale: query.locale, hotlineName: hotline.name, period: m.period, generatedAt: now, threshold, sections, table, published, trend };
}

/** A median and p90 are shown only over enough answers (the same rule as the dashboards). */
function distributionSection(title: string, d: Distribution, threshold: number, t: (k: string) => string, unit: number): Section {
  const show = d.count !== null && d.count >= threshold;
  const fmt = (v: number | null) => (show && v !== null ? (Math.round((v / unit) * 10) / 10).toFixed(1) : t('notAvailable'));
  return {
    title, columns: [t('indicator'), t('value')],
    rows: [{ label: t('count'), text: show ? String(d.count) : d.count ? `<${threshold}` : '0' }, { label: t('median'), text: fmt(d.median) }, { label: t('p90'), text: fmt(d.p90) }],
  };
}

/** Vetted partners of the directory: added in the period, and all added before its end (vetting history is not kept). */
async function partnerCounts(db: DbOrTx, hotlineId: string, q: StandardQuery, now: Date) {
  void now;
  const { rows } = await sql<{ added: string; total: string }>`
    select count(*) filter (where o.created_at >= ((${q.from}::date)::timestamp at time zone h.timezone)) as added, count(*) as total
    from directory_partner p
    join hsds_organization o on o.hotline_id = p.hotline_id and o.id = p.organization_id
    join hotline h on h.id = p.hotline_id
    where p.hotline_id = ${hotlineId} and p.vetting_status = 'vetted' and o.created_at < ((${q.to}::date)::timestamp at time zone h.timezone)`.execute(db);
  return { added: Number(rows[0]?.added ?? 0), total: Number(rows[0]?.total ?? 0) };
}

/** What an attacker who knows every equation learns about each hidden cell (the tests require min < max for all). */
export async function attackReport(report: StandardReport): Promise<HiddenRange[]> {
  return attackPublication(report.table, report.published);
}

/** The report's tables as text, in order: the same content for the PDF and the workbook. */
export function standardTables(report: StandardReport): ReportTable[] {
  return report.sections.map((s) => ({ title: s.title, columns: s.columns, rows: s.rows.map((r) => [r.label, r.cell ? displayCell(report.published.get(r.cell)!) : (r.text ?? '')]) }));
}

function titleOf(report: StandardReport) {
  return words(report.locale).t(report.kind === 'funder' ? 'funderTitle' : 'annualTitle');
}

export async function renderStandardPdf(report: StandardReport): Promise<Buffer> {
  const { t } = words(report.locale);
  const title = titleOf(report);
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `${title} ${report.period.from}`, Author: report.hotlineName }, bufferPages: true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#111').text(`${title} — ${report.hotlineName}`);
  doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#333');
  doc.text(`${t('period')}: ${report.period.from} – ${report.period.to} (${report.period.timezone})`);
  doc.text(`${t('generated')}: ${report.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  doc.moveDown(0.3).fontSize(8.5).fillColor('#444').text(t('suppressionNote', { max: report.threshold - 1, t: report.threshold }), { width });
  if (report.trend) {
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).fillColor('#111').text(t('trendTitle'));
    const svg = trendChartSvg({ labels: report.trend.labels, lines: [{ name: t('contacts'), type: 'line', values: report.trend.contacts }, { name: t('casesOpened'), type: 'bar', values: report.trend.cases }], width: 620, height: 220 });
    const scale = width / 620;
    const top = doc.y + 4;
    drawSvg(doc as never, svg, left, top, scale);
    doc.x = left;
    doc.y = top + 220 * scale + 8;
  }
  const tables = standardTables(report);
  report.sections.forEach((section, i) => {
    drawTable(doc, tables[i], left, width);
    if (section.note) doc.moveDown(0.2).font('Helvetica-Oblique').fontSize(8).fillColor('#444').text(section.note, left, undefined, { width });
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#444').text(`${report.hotlineName} · ${title} · ${t('page')} ${i + 1}/${range.count}`, left, doc.page.height - 36, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

export async function renderStandardXlsx(report: StandardReport): Promise<Buffer> {
  const { t } = words(report.locale);
  const book = new ExcelJS.Workbook();
  book.creator = 'Catalyst';
  book.created = report.generatedAt;
  const sheet = book.addWorksheet(report.kind === 'funder' ? 'Indicators' : 'Statistics');
  sheet.addRow([`${titleOf(report)} — ${report.hotlineName}`]).font = { bold: true, size: 14 };
  sheet.addRow([t('period'), `${report.period.from} – ${report.period.to}`, report.period.timezone]);
  sheet.addRow([t('generated'), report.generatedAt.toISOString()]);
  sheet.addRow([t('suppressionNote', { max: report.threshold - 1, t: report.threshold })]);
  sheet.addRow([]);
  const tables = standardTables(report);
  report.sections.forEach((section, i) => {
    sheet.addRow([tables[i].title]).font = { bold: true };
    sheet.addRow(tables[i].columns).font = { bold: true };
    // A published count goes in as a number, a mark or a text as text: spreadsheets sum only what was published.
    for (const row of tables[i].rows) sheet.addRow(row.map((v, j) => (j > 0 && /^\d+$/.test(v) ? Number(v) : v)));
    if (section.note) sheet.addRow([section.note]).font = { italic: true };
    sheet.addRow([]);
  });
  sheet.getColumn(1).width = 56;
  sheet.getColumn(2).width = 18;
  return Buffer.from(await book.xlsx.writeBuffer());
}

