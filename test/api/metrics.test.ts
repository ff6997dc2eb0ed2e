import { sql } from 'kysely';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Breakdown, Cell, MetricsQuery, MetricsResult } from '../../src/shared/metrics/definitions.js';
import { computeMetrics } from '../../src/server/metrics/metrics.service.js';
import { readFacts, refreshRollups, rollupDays } from '../../src/server/metrics/rollup.js';
import { attackReport, buildStandardReport } from '../../src/server/metrics/reports/standard.js';
import { runOneDelivery, runScheduledReports } from '../../src/server/metrics/reports/scheduler.js';
import { insertMetricsFixture, NOW, PERIOD } from '../fixtures/metrics/october-2026.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
let server: TestServer;
let analyst: ApiClient;
let supervisor: ApiClient;
let advocate: ApiClient;
let supervisorId = '';
let analystId = '';
let m: MetricsResult;

const v = (cell: Cell) => ('value' in cell ? cell.value : cell.display);
const rows = (b: Breakdown) => Object.fromEntries(b.rows.map((r) => [r.key, v(r.cell)]));

beforeAll(async () => {
  server = await startTestServer({ listen: false });
  const other = await server.addHotline(`o${Date.now().toString(36)}`);
  const sup = await server.createUser({ roles: ['supervisor'] });
  const ana = await server.createUser({ roles: ['analyst'] });
  supervisorId = sup.id;
  analystId = ana.id;
  await insertMetricsFixture(server.ctx, server.hotline.id, other.id, sup.id);
  supervisor = await new ApiClient(server.app).signIn(sup);
  analyst = await new ApiClient(server.app).signIn(ana);
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  m = await computeMetrics(server.db, server.hotline.id, PERIOD, { suppress: false, now: NOW });
});
afterAll(() => server?.close());

describe('access metrics against the hand-computed October fixture', () => {
  it('counts data contacts received in hotline time, inbound only, this hotline only', () => {
    // P1 P2 P4 P5 C1 C2 C3 S1 E1 S2; not the non-data P3 P6 W1, September's X1, the outbound X2 or the other hotline.
    expect(v(m.access.contacts)).toBe(10);
    expect(m.period.timezone).toBe('America/Toronto');
  });

  it('breaks contacts down by channel, request type, signaler type, language, how heard and area; unknown kept', () => {
    expect(rows(m.access.byChannel)).toEqual({ phone: 4, sms: 2, whatsapp: 0, chat: 3, email: 1, webform: 0, other: 0 });
    expect(rows(m.access.byRequestType)).toEqual({ crisis: 3, tip: 2, referral_request: 0, general_information: 1, training_ta: 1, high_risk: 0, unknown: 3 });
    expect(rows(m.access.bySignalerType)).toEqual({ anonymous: 1, community_member: 1, family_or_friend: 1, potential_victim: 3, professional: 1, unknown: 3 });
    expect(rows(m.access.byLanguage)).toEqual({ en: 4, es: 1, fr: 2, unknown: 3 });
    expect(rows(m.access.byHeardAbout)).toEqual({ internet_search: 1, poster_or_flyer: 1, social_media: 2, unknown: 6 });
    expect(m.access.byArea.rows.map((r) => [r.key, v(r.cell)])).toEqual([['CA-ON', 3], ['CA-QC', 2], ['CA-BC', 1], ['unknown', 4]]);
    for (const b of [m.access.byChannel, m.access.byRequestType, m.access.bySignalerType, m.access.byLanguage, m.access.byHeardAbout, m.access.byArea]) expect(v(b.total)).toBe(10);
  });

  it('places contacts on the hour × weekday grid in hotline time', () => {
    const grid = m.access.hourByWeekday.cells.map((r) => r.map(v));
    const filled = grid.flatMap((r, hour) => r.map((n, dow) => [hour, dow, n])).filter(([, , n]) => n !== 0);
    // Mon 10h ×2 (P1 P2); Tue 11h ×3 (P4 C2 C3); Tue 23h (P5); Thu 20h (C1); Sat 6h (S1); Sun 8h (E1); Sat 23h (S2).
    expect(filled).toEqual([[6, 5, 1], [8, 6, 1], [10, 0, 2], [11, 1, 3], [20, 3, 1], [23, 1, 1], [23, 5, 1]]);
    expect(v(m.access.hourByWeekday.total)).toBe(10);
  });

  it('computes offered, answered, abandoned, short abandons, service level, ASA and AHT for live channels', () => {
    const live = m.access.live;
    // Live and in hours: P1 P2 P3 P4 P6 C1 C2 C3 (P5 came after hours). Short abandons P4 (3 s) and P6 (provider flag).
    expect(rows(live.offered)).toEqual({ answered: 3, abandoned: 1, waiting: 2 });
    expect(v(live.offered.total)).toBe(6);
    expect(v(live.shortAbandons)).toBe(2);
    // Met: P1 (10 s ≤ 20 s), C1 (50 s ≤ 60 s). C2 is still inside its target at NOW: out of the denominator (6 − 1).
    expect(v(live.answeredWithinTarget)).toBe(2);
    expect(live.serviceLevel).toBeCloseTo(2 / 5, 10);
    expect(live.abandonmentRate).toBeCloseTo(1 / 6, 10);
    // Speed of answer 10, 30, 50 s; handle time 300, 600, 900 s; p90 by linear interpolation.
    expect(live.speedOfAnswerSeconds).toEqual({ count: 3, mean: 30, median: 30, p90: 46 });
    expect(live.handleSeconds).toEqual({ count: 3, mean: 600, median: 600, p90: 840 });
  });
});

describe('occupancy', () => {
  it('divides the time spent handling live contacts by the time staff were available or busy, clipped to the period', async () => {
    const later = new Date('2026-11-29T12:00:00Z');
    const interval = (hotlineId: string, userId: string, status: string, startedAt: string, endedAt: string | null) =>
      sql`insert into staff_availability_interval (hotline_id, user_id, status, started_at, ended_at) values (${hotlineId}, ${userId}, ${status}, ${startedAt}, ${endedAt})`.execute(server.db);
    // Toronto is UTC−4 in October. 30 min inside the period (it starts at 04:00Z), 15 min busy, 15 min of an interval
    // still open (counted up to the end of the period), a break (not staffed) and another hotline's interval (not ours).
    await interval(server.hotline.id, supervisorId, 'available', '2026-10-01T03:30:00Z', '2026-10-01T04:30:00Z');
    await interval(server.hotline.id, supervisorId, 'busy', '2026-10-05T14:00:00Z', '2026-10-05T14:15:00Z');
    await interval(server.hotline.id, supervisorId, 'break', '2026-10-06T14:00:00Z', '2026-10-06T16:00:00Z');
    await interval(server.hotline.id, analystId, 'available', '2026-11-01T03:45:00Z', null);
    const other = await server.db.selectFrom('hotline').select('id').where('id', '<>', server.hotline.id).executeTakeFirstOrThrow();
    const stranger = await server.db.selectFrom('app_user').select('id').where('hotline_id', '=', other.id).executeTakeFirst();
    if (stranger) await interval(other.id, stranger.id, 'available', '2026-10-10T12:00:00Z', '2026-10-10T20:00:00Z');
    try {
      const result = await computeMetrics(server.db, server.hotline.id, PERIOD, { suppress: false, now: later });
      const { count, mean } = result.access.live.handleSeconds;
      expect(count! * mean!).toBe(1800); // 300 + 600 + 900 s
      expect(result.access.live.occupancy).toBeCloseTo(1800 / 3600, 10);
      // With a filter the two times would not be of the same contacts and people: not shown.
      expect((await computeMetrics(server.db, server.hotline.id, { ...PERIOD, channel: 'phone' }, { suppress: false, now: later })).access.live.occupancy).toBeNull();
      // An interval left open for days counts 12 hours at most (a forgotten session must not sink the figure).
      await interval(server.hotline.id, supervisorId, 'available', '2026-10-10T12:00:00Z', '2026-10-13T12:00:00Z');
      expect((await computeMetrics(server.db, server.hotline.id, PERIOD, { suppress: false, now: later })).access.live.occupancy).toBeCloseTo(1800 / (3600 + 12 * 3600), 10);
    } finally {
      await sql`delete from staff_availability_interval`.execute(server.db);
    }
  });

  it('records availability changes and signing out as intervals', async () => {
    const user = await server.createUser({ roles: ['advocate'] });
    const client = await new ApiClient(server.app).signIn(user, Date.now() - 30_000);
    expect((await client.put('/api/me/availability', { availability: 'available' })).status).toBe(200);
    expect((await client.put('/api/me/availability', { availability: 'break' })).status).toBe(200);
    expect((await client.post('/api/auth/logout')).status).toBeLessThan(300);
    const { rows: intervals } = await sql<{ status: string; ended_at: Date | null }>`select status, ended_at from staff_availability_interval where user_id = ${user.id} order by id`.execute(server.db);
    expect(intervals.map((i) => [i.status, i.ended_at !== null])).toEqual([['available', true], ['break', true]]);
    expect((await server.db.selectFrom('app_user').select('availability').where('id', '=', user.id).executeTakeFirstOrThrow()).availability).toBe('offline');
  });
});

describe('situation, response and quality metrics against the fixture', () => {
  it('counts cases opened by trafficking type, typology and area of the first contact, and cases closed', () => {
    expect(rows(m.situations.casesOpened)).toEqual({ sex: 1, labour: 0, sex_and_labour: 1, not_classified: 1 });
    expect(v(m.situations.casesClosed)).toBe(2); // K3 (opened and closed in October) and K4 (opened in September)
    expect(m.situations.openedByTypology.rows.map((r) => [r.key, v(r.cell)])).toEqual([['1', 1], ['not_classified', 2]]); // stored as 'polaris-1', counted by its number
    expect(rows(m.situations.openedByArea)).toEqual({ 'CA-ON': 1, 'CA-QC': 1, unknown: 1 });
  });

  it('counts potential victims once per case, by highest level (overrides win), age group and gender', () => {
    expect(v(m.situations.potentialVictims)).toBe(3);
    // K1: latest P1 assessment is high/none. K2: C1 moderate overridden to high, S2 labour high.
    expect(rows(m.situations.victimsBySexLevel)).toEqual({ none: 0, low: 0, moderate: 0, high: 3 });
    expect(rows(m.situations.victimsByLabourLevel)).toEqual({ none: 2, low: 0, moderate: 0, high: 1 });
    expect(rows(m.situations.victimsByAgeGroup)).toEqual({ '12_17': 1, '18_24': 1, unknown: 1 });
    expect(rows(m.situations.victimsByGender)).toEqual({ female: 1, male: 1, unknown: 1 });
  });

  it('counts protocol tasks due in the period by outcome', () => {
    expect(rows(m.response.tasks)).toEqual({ on_time: 1, done_late: 1, open_overdue: 1, open_not_due: 1, skipped: 1 });
  });

  it('counts reports by status and sent reports by basis', () => {
    expect(rows(m.response.reportsByStatus)).toEqual({ requested: 1, approved: 1, sent: 3, refused: 1 });
    expect(rows(m.response.reportsSent)).toEqual({ consent: 1, 'exception:minor': 1, 'exception:imminent_danger': 1, 'exception:legal_duty': 0, consent_not_required: 0 });
  });

  it('counts referrals made by state, accepted ones by outcome, and the time partners took to answer', () => {
    const r = m.response.referrals;
    expect(r.isAvailable).toBe(true);
    // R1–R7 made in October (R8 is September's): accepted R1 R5; declined R2 R3; awaiting R4; cancelled unanswered R6 R7.
    expect(rows(r.made)).toEqual({ awaiting: 1, accepted: 2, declined: 2, cancelled: 2 });
    expect(v(r.made.total)).toBe(7);
    expect(rows(r.outcomes)).toEqual({ contacted: 0, services_provided: 1, could_not_reach: 0, declined: 0, none_yet: 1 });
    expect(v(r.outcomes.total)).toBe(2);
    // Answers after 600, 1800, 3600, 7200 s: mean 3300, median (1800 + 3600) / 2, p90 3600 + 0.7 × 3600.
    expect(r.acknowledgeSeconds).toEqual({ count: 4, mean: 3300, median: 2700, p90: 6120 });
  });

  it('counts needs referred once per case on their first referral, unmet needs, and searches that found no partner', () => {
    const r = m.response.referrals;
    // K1 × emergency shelter, K1 × safety planning, K2 × transport, K2 × medical, K3 × emergency shelter (K1 × legal: September).
    expect(rows(r.needsReferred)).toEqual({ emergency_shelter: 2, transport: 1, medical: 1, safety_planning: 1 });
    expect(v(r.needsReferred.total)).toBe(5);
    // Only K3 × emergency shelter: its one referral was cancelled unanswered. K2 × transport is still awaiting an answer.
    expect(rows(r.unmetNeeds)).toEqual({ emergency_shelter: 1, transport: 0, medical: 0, safety_planning: 0 });
    expect(v(r.unmetNeeds.total)).toBe(1);
    expect(rows(r.needsWithoutPartner!)).toEqual({ legal: 1, transport: 2 });
  });

  it('derives emergency requests by kind from referral needs, and says extraction has no source', () => {
    expect(rows(m.situations.emergencyRequests)).toEqual({ emergency_shelter: 2, transport: 1 });
    expect(v(m.situations.emergencyRequests.total)).toBe(3);
    expect(m.situations.emergencyKindsNotAvailable).toEqual(['extraction']);
  });

  it('filters referrals through their case: first contact area and channel, trafficking type', async () => {
    const on = await computeMetrics(server.db, server.hotline.id, { ...PERIOD, area: 'CA-ON' }, { suppress: false, now: NOW });
    expect(rows(on.response.referrals.made)).toEqual({ awaiting: 0, accepted: 1, declined: 2, cancelled: 0 });
    expect(rows(on.response.referrals.needsWithoutPartner!)).toEqual({ transport: 2 });
    const labour = await computeMetrics(server.db, server.hotline.id, { ...PERIOD, traffickingType: 'labour' }, { suppress: false, now: NOW });
    expect(v(labour.response.referrals.made.total)).toBe(3);
    expect(rows(labour.situations.emergencyRequests)).toEqual({ emergency_shelter: 0, transport: 1 });
    expect(labour.response.referrals.needsWithoutPartner).toBeNull(); // searches have no trafficking type
  });

  it('measures missing key fields and time to documentation over closed data contacts', () => {
    // Closed data contacts ended in October: P1 P2 P4 P5 C1 S1. Missing: P4 (all), P5 (signaler, type, heard), C1 (heard).
    expect(v(m.quality.closedDataContacts)).toBe(6);
    expect(v(m.quality.missingAny)).toBe(3);
    expect(rows(m.quality.missingByField)).toEqual({ signaler_type: 2, request_type: 2, language: 1, area_code: 1, heard_about: 3 });
    // Durations 1, 3, 310, 630, 950, 7200 s.
    expect(m.quality.documentationSeconds).toEqual({ count: 6, mean: 1515.7, median: 470, p90: 4075 });
  });

  it('draws a daily trend of contacts and cases opened over the whole period', () => {
    expect(m.trend.bucket).toBe('day');
    expect(m.trend.points).toHaveLength(31);
    const nonZero = m.trend.points.filter((p) => p.contacts !== 0 || p.casesOpened !== 0).map((p) => [p.start, p.contacts, p.casesOpened]);
    expect(nonZero).toEqual([
      ['2026-10-05', 2, 1], ['2026-10-06', 2, 0], ['2026-10-08', 1, 0], ['2026-10-09', 0, 1], ['2026-10-10', 1, 0], ['2026-10-11', 1, 0],
      ['2026-10-15', 0, 1], ['2026-10-20', 2, 0], ['2026-10-31', 1, 0],
    ]);
  });

  it('filters by area, channel and trafficking type', async () => {
    const on = await computeMetrics(server.db, server.hotline.id, { ...PERIOD, area: 'CA-ON' }, { suppress: false, now: NOW });
    expect(v(on.access.contacts)).toBe(3);
    expect(rows(on.access.live.offered)).toEqual({ answered: 2, abandoned: 0, waiting: 0 });
    expect(v(on.situations.casesOpened.total)).toBe(1);
    expect(rows(on.response.reportsByStatus)).toEqual({ requested: 0, approved: 1, sent: 3, refused: 1 });
    const chat = await computeMetrics(server.db, server.hotline.id, { ...PERIOD, channel: 'chat' }, { suppress: false, now: NOW });
    expect(rows(chat.access.byChannel)).toEqual({ phone: 0, sms: 0, whatsapp: 0, chat: 3, email: 0, webform: 0, other: 0 });
    expect(rows(chat.situations.casesOpened)).toEqual({ sex: 0, labour: 0, sex_and_labour: 1, not_classified: 0 });
    const labour = await computeMetrics(server.db, server.hotline.id, { ...PERIOD, traffickingType: 'labour' }, { suppress: false, now: NOW });
    expect(v(labour.situations.casesOpened.total)).toBe(1);
    expect(v(labour.situations.potentialVictims)).toBe(1);
  });

  it('buckets by month for periods over 92 days', async () => {
    const year = await computeMetrics(server.db, server.hotline.id, { from: '2026-01-01', to: '2027-01-01' }, { suppress: false, now: NOW });
    expect(year.trend.bucket).toBe('month');
    expect(year.trend.points.map((p) => p.start)).toHaveLength(12);
    expect(year.trend.points.find((p) => p.start === '2026-09-01')!.contacts).toBe(1); // X1
    expect(year.trend.points.find((p) => p.start === '2026-10-01')!.contacts).toBe(10);
  });
});

describe('daily roll-up', () => {
  // A moment when all of October is settled (two days old in hotline time).
  const later = new Date('2026-11-29T12:00:00Z');
  const views: MetricsQuery[] = [
    PERIOD,
    { ...PERIOD, area: 'CA-ON' },
    { ...PERIOD, area: 'CA-QC' },
    { ...PERIOD, channel: 'chat' },
    { ...PERIOD, requestType: 'crisis' },
    { ...PERIOD, traffickingType: 'labour' },
    // Pairs of filters are rolled up too (migration 0029).
    { ...PERIOD, area: 'CA-ON', channel: 'phone' },
    { ...PERIOD, area: 'CA-QC', requestType: 'crisis' },
    { ...PERIOD, channel: 'chat', requestType: 'tip' },
    { ...PERIOD, area: 'CA-ON', traffickingType: 'labour' },
    { ...PERIOD, channel: 'phone', traffickingType: 'sex' },
    { from: '2026-10-04', to: '2026-10-11' },
    { from: '2026-01-01', to: '2027-01-01' },
  ];
  const same = (r: MetricsResult) => ({ ...r, computedAt: '' });

  it('gives the same figures as the records, exact and suppressed, for every filter it keeps', async () => {
    // September to 19 November rolled up; 20–27 November are missing (more than a read rolls up itself: read live).
    await rollupDays(server.db, server.hotline.id, '2026-09-01', '2026-11-20', { now: later, shortAbandonSeconds: 5 });
    const tz = 'America/Toronto';
    const plan = await readFacts(server.db, { hotlineId: server.hotline.id, tz, ...PERIOD, now: later, shortAbandonSeconds: 5, filters: {}, unit: 'day' });
    expect(plan.plan).toEqual({ rolledDays: 31, liveRanges: [], months: 0 });
    for (const q of views) {
      for (const suppress of [false, true]) {
        const raw = await computeMetrics(server.db, server.hotline.id, q, { suppress, now: later, rollup: 'off' });
        const rolled = await computeMetrics(server.db, server.hotline.id, q, { suppress, now: later });
        expect(same(rolled)).toEqual(same(raw));
      }
    }
    const year = await readFacts(server.db, { hotlineId: server.hotline.id, tz, from: '2026-01-01', to: '2027-01-01', now: later, shortAbandonSeconds: 5, filters: { area: 'CA-ON' }, unit: 'month' });
    expect(year.plan).toMatchObject({ rolledDays: 80, months: 2 }); // 1 Sep – 19 Nov (September and October from the month sums); January–August read live
  });

  it('reads two filters on one family from the roll-up, three live, and a day a write touched live until it is rolled up again', async () => {
    const tz = 'America/Toronto';
    const two = await readFacts(server.db, { hotlineId: server.hotline.id, tz, ...PERIOD, now: later, shortAbandonSeconds: 5, filters: { area: 'CA-ON', channel: 'phone' }, unit: 'day' });
    expect(two.plan).toEqual({ rolledDays: 31, liveRanges: [], months: 0 });
    const threeFilters = { area: 'CA-ON', channel: 'phone' as const, requestType: 'crisis' as const };
    const three = await readFacts(server.db, { hotlineId: server.hotline.id, tz, ...PERIOD, now: later, shortAbandonSeconds: 5, filters: threeFilters, unit: 'day' });
    expect(three.plan).toEqual({ rolledDays: 0, liveRanges: [[PERIOD.from, PERIOD.to]], months: 0 });
    const rolledYear = await computeMetrics(server.db, server.hotline.id, { from: '2026-01-01', to: '2027-01-01', area: 'CA-ON', channel: 'phone' }, { suppress: false, now: later });
    expect(same(rolledYear)).toEqual(same(await computeMetrics(server.db, server.hotline.id, { from: '2026-01-01', to: '2027-01-01', area: 'CA-ON', channel: 'phone' }, { suppress: false, now: later, rollup: 'off' })));
    // P2 (5 October) moves to Quebec: the trigger marks 5 October dirty; the figures follow at once.
    const p2 = await server.db.selectFrom('contact').select('id').where('hotline_id', '=', server.hotline.id).where('received_at', '=', new Date('2026-10-05T14:30:00Z')).executeTakeFirstOrThrow();
    await server.db.updateTable('contact').set({ area_code: 'CA-QC' }).where('id', '=', p2.id).execute();
    const dirty = await server.db.selectFrom('metrics_rollup_dirty' as never).select('day' as never).where('hotline_id' as never, '=', server.hotline.id as never).execute();
    expect(dirty.map((d) => String(new Date((d as { day: Date }).day).getDate()))).toContain('5');
    const plan = await readFacts(server.db, { hotlineId: server.hotline.id, tz, ...PERIOD, now: later, shortAbandonSeconds: 5, filters: {}, unit: 'day', }, { rollOnReadMax: 0 });
    expect(plan.plan.liveRanges).toEqual([['2026-10-05', '2026-10-06']]);
    const dirtyYear = await readFacts(server.db, { hotlineId: server.hotline.id, tz, from: '2026-01-01', to: '2027-01-01', now: later, shortAbandonSeconds: 5, filters: {}, unit: 'month' }, { rollOnReadMax: 0 });
    expect(dirtyYear.plan.months).toBe(1); // September only: October has a dirty day
    for (const q of [...views.slice(0, 3), views[7]]) {
      const raw = await computeMetrics(server.db, server.hotline.id, q, { suppress: false, now: later, rollup: 'off' });
      expect(same(await computeMetrics(server.db, server.hotline.id, q, { suppress: false, now: later }))).toEqual(same(raw));
    }
    // The poller rolls the dirty day up again (and backfills missing settled days); the figures stay the same.
    expect(await refreshRollups(server.db, later, { maxDays: 400 })).toBeGreaterThan(0);
    const again = await readFacts(server.db, { hotlineId: server.hotline.id, tz, ...PERIOD, now: later, shortAbandonSeconds: 5, filters: {}, unit: 'day' }, { rollOnReadMax: 0 });
    expect(again.plan).toEqual({ rolledDays: 31, liveRanges: [], months: 0 });
    const raw = await computeMetrics(server.db, server.hotline.id, PERIOD, { suppress: false, now: later, rollup: 'off' });
    expect(same(await computeMetrics(server.db, server.hotline.id, PERIOD, { suppress: false, now: later }))).toEqual(same(raw));
    expect(rows(raw.access.byArea)).toMatchObject({ 'CA-ON': 2, 'CA-QC': 3 });
    await server.db.updateTable('contact').set({ area_code: 'CA-ON' }).where('id', '=', p2.id).execute();
  });
});

describe('metrics API', () => {
  const url = `/api/metrics?from=${PERIOD.from}&to=${PERIOD.to}`;

  it('gives supervisors (case access) exact figures', async () => {
    const response = await supervisor.get(url);
    expect(response.status).toBe(200);
    expect(response.body.isSuppressed).toBe(false);
    expect(rows(response.body.access.byChannel)).toMatchObject({ sms: 2, email: 1 });
  });

  it('gives analysts (no case access) small-cell-suppressed figures that still add up where shown', async () => {
    const response = await analyst.get(url);
    expect(response.status).toBe(200);
    const body = response.body as MetricsResult;
    expect(body.isSuppressed).toBe(true);
    const channel = rows(body.access.byChannel);
    expect(channel).toMatchObject({ phone: 4, chat: 3, sms: '<3', email: '<3' });
    expect(v(body.access.byChannel.total)).toBe(10);
    // No small count anywhere in what an analyst receives.
    const small: string[] = [];
    const walk = (x: unknown, at: string) => {
      if (x && typeof x === 'object') {
        if ('value' in x && typeof (x as { value: unknown }).value === 'number' && Object.keys(x).length === 1) {
          const n = (x as { value: number }).value;
          if (n > 0 && n < 3) small.push(at);
        }
        for (const [k, y] of Object.entries(x)) walk(y, `${at}.${k}`);
      }
    };
    walk(body, '');
    expect(small).toEqual([]);
    expect(body.trend.points.filter((p) => p.contacts !== 0).map((p) => p.contacts)).toEqual(['<3', '<3', '<3', '<3', '<3', '<3', '<3']);
    expect(body.access.live.speedOfAnswerSeconds.mean).toBe(30); // three answered: enough to show
  });

  it('refuses advocates and validates the period', async () => {
    expect((await advocate.get(url)).status).toBe(403);
    const bad = await supervisor.get('/api/metrics?from=2026-11-01&to=2026-10-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('serves the live view: the queue now and today', async () => {
    const response = await supervisor.get('/api/metrics/live');
    expect(response.status).toBe(200);
    // C2 and C3 are still waiting (fixture), whatever day it is.
    expect(response.body.waiting).toBe(2);
    expect(response.body.today.period.to > response.body.today.period.from).toBe(true);
  });

  it('lists the areas figures can be filtered by', async () => {
    const response = await analyst.get('/api/metrics/areas');
    expect(response.body.areas.map((a: { code: string }) => a.code)).toContain('CA-ON');
  });
});

describe('monthly operations report', () => {
  it('downloads a suppressed PDF with a vector chart that renders to pages, and audits the download', async () => {
    const response = await supervisor.request('GET', '/api/metrics/reports/monthly?month=2026-10&format=pdf&area=CA-ON&locale=fr');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = response.raw.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'catalyst-metrics-'));
    try {
      await writeFile(path.join(dir, 'r.pdf'), pdf);
      const { stdout } = await run('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-']);
      expect(stdout).toContain('Rapport mensuel d’activité');
      expect(stdout).toContain('Ontario');
      expect(stdout).toContain('<3'); // the supervisor's download is suppressed too: it is meant to be shared
      await run('pdftoppm', ['-r', '40', '-png', path.join(dir, 'r.pdf'), path.join(dir, 'page')]);
      expect((await readdir(dir)).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const audit = await server.db.selectFrom('audit_log').select(['action', 'details']).where('hotline_id', '=', server.hotline.id).where('action', '=', 'metrics.report.download').execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a malformed month', async () => {
    const response = await supervisor.get('/api/metrics/reports/monthly?month=2026-13&format=pdf');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
  });

  it('downloads the same tables as XLSX, counts as numbers and marks as text', async () => {
    const response = await analyst.request('GET', '/api/metrics/reports/monthly?month=2026-10&format=xlsx');
    expect(response.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.raw.rawPayload as never);
    const sheet = book.getWorksheet('2026-10')!;
    const values: unknown[][] = [];
    sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values).toContainEqual(['Phone', 4]);
    expect(values).toContainEqual(['SMS', '<3']);
    expect(values).toContainEqual(['Contacts (data)', 10, '<3']); // September had one (X1)
  });

  it('stores the scheduled report on the 1st for named recipients, once, and only they may download it', async () => {
    const refused = await supervisor.put('/api/metrics/schedule', { recipientIds: ['00000000-0000-0000-0000-000000000000'] });
    expect(refused.status).toBe(400);
    const set = await supervisor.put('/api/metrics/schedule', { recipientIds: [analystId], locale: 'es' });
    expect(set.status).toBe(200);
    expect((await analyst.put('/api/metrics/schedule', { recipientIds: [] })).status).toBe(403);
    const audited = await server.db.selectFrom('audit_log').select('details').where('hotline_id', '=', server.hotline.id).where('action', '=', 'metrics.schedule.update').execute();
    expect(audited).toHaveLength(1);

    // Before the 1st nothing is due; on 1 Dec (hotline time) November's report is made, once, even by two pollers.
    expect(await runScheduledReports(server.db, new Date('2026-11-30T12:00:00Z'))).toEqual([]);
    const dec1 = new Date('2026-12-01T06:00:00Z');
    const [a, b] = await Promise.all([runScheduledReports(server.db, dec1), runScheduledReports(server.db, dec1)]);
    expect([...a, ...b]).toHaveLength(1);
    expect([...a, ...b][0].status).toBe('done');
    expect(await runOneDelivery(server.db, dec1)).toBeNull();

    const list = await analyst.get('/api/metrics/deliveries');
    expect(list.body.items).toEqual([expect.objectContaining({ month: '2026-11', status: 'done' })]);
    const id = list.body.items[0].id;
    const pdf = await analyst.request('GET', `/api/metrics/deliveries/${id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.raw.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Another analyst, not named, sees nothing and gets the same 404 as for a missing report.
    const other = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['analyst'] }));
    expect((await other.get('/api/metrics/deliveries')).body.items).toEqual([]);
    expect((await other.request('GET', `/api/metrics/deliveries/${id}/pdf`)).status).toBe(404);
    expect(supervisorId).not.toBe(analystId);
  });

  it('records a failed render and retries it later with backoff, without blocking other hotlines', async () => {
    // A schedule whose stored language no report has (written past the API's validation) fails to render.
    const broken = await server.addHotline(`b${Date.now().toString(36)}`);
    await server.db.insertInto('metrics_report_schedule').values({ hotline_id: broken.id, kind: 'monthly_operations', locale: 'xx', recipient_ids: [] }).execute();
    const jan1 = new Date('2027-01-01T12:00:00Z');
    const results = await runScheduledReports(server.db, jan1);
    expect(results.map((r) => r.status).sort()).toEqual(['done', 'pending']);
    const row = await server.db.selectFrom('metrics_report_delivery').selectAll().where('hotline_id', '=', broken.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, failure_reason: 'TypeError', pdf: null });
    expect(row.due_at.getTime()).toBeGreaterThan(jan1.getTime());
    // Not due again yet; after five attempts it is marked failed.
    expect(await runOneDelivery(server.db, jan1)).toBeNull();
    let later = jan1;
    for (let i = 0; i < 4; i++) {
      later = new Date(later.getTime() + 24 * 3600_000);
      await runOneDelivery(server.db, later);
    }
    const final = await server.db.selectFrom('metrics_report_delivery').select(['status', 'attempts']).where('hotline_id', '=', broken.id).executeTakeFirstOrThrow();
    expect(final).toEqual({ status: 'failed', attempts: 5 });
  });
});

describe('funder indicators and annual public statistics', () => {
  const pdfText = async (pdf: Buffer) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'catalyst-standard-'));
    try {
      await writeFile(path.join(dir, 'r.pdf'), pdf);
      const { stdout } = await run('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-']);
      await run('pdftoppm', ['-r', '30', '-png', path.join(dir, 'r.pdf'), path.join(dir, 'page')]);
      return { text: stdout, pages: (await readdir(dir)).filter((f) => f.endsWith('.png')).length };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const sheetRows = async (body: Buffer) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as never);
    const values: unknown[][] = [];
    book.worksheets[0].eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    return values;
  };

  it('downloads the funder indicators as a suppressed PDF in Spanish with pages, and audits it', async () => {
    const response = await supervisor.request('GET', '/api/metrics/reports/standard?report=funder&from=2026-10-01&to=2026-11-01&format=pdf&locale=es');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const { text, pages } = await pdfText(response.raw.rawPayload);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(text).toContain('Indicadores de desempeño para financiadores');
    expect(text).toContain('Albergue de emergencia');
    expect(text).toContain('Extracción');
    expect(text).toContain('no disponible');
    expect(text).toContain('<3'); // suppressed for a supervisor too
    const audit = await server.db.selectFrom('audit_log').select('details').where('hotline_id', '=', server.hotline.id).where('action', '=', 'metrics.report.download').execute();
    expect(audit.some((a) => (a.details as { report?: string }).report === 'funder')).toBe(true);
  });

  it('puts the same funder tables in the workbook: referrals, emergency requests, partners', async () => {
    const response = await analyst.request('GET', '/api/metrics/reports/standard?report=funder&from=2026-10-01&to=2026-11-01&format=xlsx');
    expect(response.status).toBe(200);
    const values = await sheetRows(response.raw.rawPayload);
    // Every referral state is small (1 or 2), so the seven referrals made are hidden too ("x"); emergency shelter 2
    // and transport 1 are "<3"; the needs are named as in the directory.
    expect(values).toContainEqual(['Referrals made', 'x']);
    expect(values).toContainEqual(['Emergency shelter', '<3']);
    expect(values).toContainEqual(['Safety planning', '<3']);
    expect(values).toContainEqual(['Extraction', 'not available (no structured record yet)']);
    expect(values).toContainEqual(['New partners in the period', 0]);
    expect(values).toContainEqual(['Contacts (data)', 10]);
    for (const row of values) for (const v of row.slice(1)) if (typeof v === 'number') expect(v === 0 || v >= 3).toBe(true);
  });

  it('downloads the annual statistics in French with a monthly chart, and as a workbook', async () => {
    const pdf = await supervisor.request('GET', '/api/metrics/reports/standard?report=annual&year=2026&format=pdf&locale=fr');
    expect(pdf.status).toBe(200);
    const { text, pages } = await pdfText(pdf.raw.rawPayload);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(text).toContain('Statistiques publiques annuelles');
    expect(text).toContain('Contacts par mois');
    const xlsx = await supervisor.request('GET', '/api/metrics/reports/standard?report=annual&year=2026&format=xlsx');
    const values = await sheetRows(xlsx.raw.rawPayload);
    expect(values).toContainEqual(['Contacts (data)', 11]); // October's ten and September's X1
    // September's one contact is "<3", so October's ten are hidden too: the year's total (11) is published.
    expect(values).toContainEqual(['2026-09', '<3']);
    expect(values).toContainEqual(['2026-10', 'x']);
    expect((await supervisor.get('/api/metrics/reports/standard?report=annual&format=pdf')).status).toBe(400);
    expect((await advocate.get('/api/metrics/reports/standard?report=annual&year=2026&format=pdf')).status).toBe(403);
  });

  it('hides small cells so that no hidden cell can be recovered from all the tables of a report together', async () => {
    for (const kind of ['funder', 'annual'] as const) {
      const report = await buildStandardReport(server.db, server.hotline.id, kind, kind === 'annual' ? { from: '2026-01-01', to: '2027-01-01', locale: 'en' } : { ...PERIOD, locale: 'en' }, { now: NOW });
      const hidden = [...report.published].filter(([, c]) => 'suppressed' in c);
      expect(hidden.length).toBeGreaterThan(0);
      const small = report.table.cells.filter((c) => c.value > 0 && c.value < 3).map((c) => c.id);
      for (const id of small) expect('suppressed' in report.published.get(id)!).toBe(true);
      const ranges = await attackReport(report);
      const pinned = ranges.filter((r) => r.min === r.max);
      expect(pinned).toEqual([]);
    }
  });

  it('the attack does find a cell when a table is published without complementary suppression (the test can fail)', async () => {
    const report = await buildStandardReport(server.db, server.hotline.id, 'funder', { ...PERIOD, locale: 'en' }, { now: NOW });
    // Show every complementary cell: only the primary "<3" marks stay hidden.
    const naive = new Map([...report.published].map(([id, c]) => [id, 'suppressed' in c && c.display === 'x' ? { value: report.table.cells.find((x) => x.id === id)!.value } : c]));
    const ranges = await attackReport({ ...report, published: naive });
    expect(ranges.some((r) => r.min === r.max)).toBe(true);
  });
});

