/**
 * Privacy-safe statistics benchmark (issue 8): small-cell suppression of the tables a report publishes, and
 * k-anonymisation of a CTDC-sized record set. Database-free: the dashboard budgets (p95 < 200 ms per view, monthly PDF
 * < 5 s, with 1,000,000 contacts and 200,000 cases) include suppression of every published table, so suppression must
 * stay a small share of them. Run: npx tsx bench/metrics.bench.ts [records]
 * Dashboard and monthly PDF on PostgreSQL (issue 8): npx tsx bench/metrics.bench.ts dashboard [contacts] [cases]
 * (loads a synthetic hotline into a fresh database at 127.0.0.1:5432 or CATALYST_BENCH_DATABASE_URL).
 * Figures go to docs/benchmarks.md with the machine and date.
 */
import os from 'node:os';
import v8 from 'node:v8';
import { CTDC_QUASI_IDENTIFIERS, toCtdcRow } from '../src/shared/metrics/ctdc.js';
import { kAnonymise } from '../src/server/metrics/kanonymity.js';
import { suppressLinear, twoWayTable } from '../src/server/metrics/suppression.js';

const dashboardMode = process.argv[2] === 'dashboard';
const records = dashboardMode ? 0 : Number(process.argv[2] ?? 200_000);
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];

/** Counts skewed like hotline data: most cells large, a tail of small ones. */
function table(rows: number, cols: number, scale: number) {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random() < 0.15 ? Math.floor(random() * 3) : Math.floor(random() ** 3 * scale))));
}

async function timeSuppression(label: string, rows: number, cols: number, scale: number, runs = 20) {
  const samples: number[] = [];
  let hidden = 0;
  for (let i = 0; i < runs; i++) {
    const t = twoWayTable(table(rows, cols, scale));
    const start = performance.now();
    const result = await suppressLinear(t);
    samples.push(performance.now() - start);
    hidden += result.primary.length + result.complementary.length + result.widened.length;
  }
  samples.sort((a, b) => a - b);
  const p95 = samples[Math.min(samples.length - 1, Math.floor(0.95 * samples.length))];
  console.log(`suppression ${label} (${rows}×${cols} + totals): median ${samples[samples.length >> 1].toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, mean hidden cells ${(hidden / runs).toFixed(1)}`);
}

console.log(`metrics bench — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, ${new Date().toISOString()}`);
if (dashboardMode) {
  await runDashboardBench(Number(process.argv[3] ?? 1_000_000), Number(process.argv[4] ?? 200_000));
  process.exit(0);
}
await suppressLinear(twoWayTable([[1, 5], [7, 9]])); // load HiGHS once
await timeSuppression('channel × month', 7, 12, 400);
await timeSuppression('hour × weekday heatmap', 24, 7, 300);
await timeSuppression('area × typology type', 32, 25, 200, 5);

const countries = ['MX', 'GT', 'HN', 'SV', 'US', 'CA', 'PH', 'IN', 'CN', 'UA', 'NG', 'VE', 'CO', 'HT', 'RO'];
const sources = Array.from({ length: records }, () =>
  toCtdcRow({
    openedAt: new Date(Date.UTC(2020 + Math.floor(random() * 5), Math.floor(random() * 12), 1)),
    traffickingTypes: random() < 0.5 ? ['sex'] : random() < 0.8 ? ['labour'] : ['sex', 'labour'],
    polarisType: 1 + Math.floor(random() * 25),
    gender: pick(['female', 'female', 'male', 'non_binary', 'unknown']),
    ageRange: null,
    ageYears: random() < 0.8 ? Math.floor(8 + random() * 55) : null,
    nationality: pick(countries),
    hotlineCountry: 'MX',
  }),
);
for (const k of [5, 11]) {
  const start = performance.now();
  const result = kAnonymise(sources, CTDC_QUASI_IDENTIFIERS, { k });
  console.log(`k-anonymity k=${k}, ${records} records: ${(performance.now() - start).toFixed(0)} ms, generalised ${result.generalised}, suppressed ${result.suppressed}, levels ${JSON.stringify(result.levels)}`);
}

// ---- Dashboard views and the monthly PDF on PostgreSQL (issue 8) ---------------------------------------------------

/**
 * Loads `contacts` contacts over five years and `cases` cases (one linked contact each, 1–2 potential victims, an
 * assessment, two protocol tasks, a report for one case in ten) into a fresh database with set-based SQL, then times
 * the dashboard view (`computeMetrics`, what GET /api/metrics runs) and the monthly report. Encrypted columns hold
 * random bytes: metrics never read them.
 */
/** The funder indicators (a year) and the annual statistics: figures and joint suppression, then PDF and XLSX. */
async function runReportBench(db: any, hotlineId: string) {
  const { buildStandardReport, renderStandardPdf, renderStandardXlsx } = await import('../src/server/metrics/reports/standard.js');
  for (const [kind, from, to] of [['funder', '2025-11-01', '2026-11-01'], ['annual', '2025-01-01', '2026-01-01']] as const) {
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const report = await buildStandardReport(db, hotlineId, kind, { from, to, locale: 'en' });
      const t1 = performance.now();
      const pdf = await renderStandardPdf(report);
      const t2 = performance.now();
      await renderStandardXlsx(report);
      const t3 = performance.now();
      const hidden = [...report.published.values()].filter((c) => 'suppressed' in c).length;
      console.log(`${kind} report ${from} – ${to}: figures + suppression ${(t1 - t0).toFixed(0)} ms (${report.table.cells.length} cells, ${hidden} hidden), PDF ${(t2 - t1).toFixed(0)} ms (${pdf.length} bytes), XLSX ${(t3 - t2).toFixed(0)} ms`);
    }
  }
}

async function runDashboardBench(contacts: number, cases: number) {
  // As the server does (src/server/main.ts): HiGHS optimised in the background at load, loaded before any request.
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
  const { warmUpHighs } = await import('../src/server/metrics/attacker.js');
  const warm = warmUpHighs();
  const { default: pg } = await import('pg');
  const { sql } = await import('kysely');
  const { createDb } = await import('../src/server/db/db.js');
  const { migrateToLatest } = await import('../src/server/db/migrate.js');
  const { computeMetrics } = await import('../src/server/metrics/metrics.service.js');
  const { buildMonthlyReport, renderMonthlyPdf, renderMonthlyXlsx } = await import('../src/server/metrics/reports/monthly.js');
  const adminUrl = process.env.CATALYST_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = 'catalyst_bench_metrics';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const reuse = process.env.BENCH_REUSE === '1' && (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  if (!reuse) {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  }
  const db = createDb(url.toString(), { max: 4 });
  const time = async <T>(label: string, f: () => Promise<T>) => {
    const t0 = performance.now();
    const v = await f();
    console.log(`  ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return v;
  };
  let hotlineId: string;
  if (!reuse) {
    await migrateToLatest(db);
    hotlineId = (await db.insertInto('hotline').values({ slug: 'bench', name: 'Bench hotline', country: 'CA', timezone: 'America/Toronto' }).returning('id').executeTakeFirstOrThrow()).id;
    const thread = (await db.insertInto('contact_thread').values({ hotline_id: hotlineId, channel: 'phone' }).returning('id').executeTakeFirstOrThrow()).id;
    console.log(`loading ${contacts.toLocaleString('en')} contacts and ${cases.toLocaleString('en')} cases (5 years)…`);
    const pick = (values: string[]) => sql.raw(`(array[${values.map((v) => (v === 'NULL' ? 'NULL' : `'${v}'`)).join(',')}])[1 + floor(random() * ${values.length})::int]`);
    await time('contacts', () => sql`
      insert into contact (hotline_id, thread_id, channel, direction, status, received_at, answered_at, ended_at, sla_due_at, language, signaler_type, request_type, heard_about, area_code)
      select ${hotlineId}, ${thread}, ch, 'inbound', 'closed', r,
             case when ans then r + make_interval(secs => wait) end,
             r + make_interval(secs => wait + case when ans then 120 + floor(random() * 1500)::int else 0 end),
             r + make_interval(secs => case when ch = 'phone' then 20 when ch = 'chat' then 60 else 900 end),
             lang, sig, rt, heard, area
      from (
        select ${pick(['phone', 'phone', 'phone', 'phone', 'chat', 'chat', 'sms', 'whatsapp', 'email', 'webform'])} as ch,
               timestamptz '2021-11-28 00:00:00+00' + random() * interval '1826 days' as r,
               random() < 0.88 as ans, floor(random() * random() * 180)::int as wait,
               ${pick(['en', 'en', 'en', 'fr', 'fr', 'es', 'NULL'])} as lang,
               ${pick(['potential_victim', 'survivor', 'family_or_friend', 'community_member', 'professional', 'law_enforcement', 'anonymous', 'NULL'])} as sig,
               ${pick(['crisis', 'tip', 'tip', 'referral_request', 'general_information', 'general_information', 'training_ta', 'high_risk', 'hang_up', 'silent', 'wrong_number', 'NULL'])} as rt,
               ${pick(['internet_search', 'social_media', 'poster_or_flyer', 'tv_or_radio', 'ngo_or_service_provider', 'friend_or_family', 'previous_contact', 'NULL', 'NULL'])} as heard,
               ${pick(['CA-ON', 'CA-ON', 'CA-ON', 'CA-QC', 'CA-QC', 'CA-BC', 'CA-BC', 'CA-AB', 'CA-MB', 'CA-NS', 'CA-SK', 'CA-NB', 'CA-NL', 'CA-PE', 'CA-YT', 'CA-NT', 'CA-NU', 'NULL'])} as area
        from generate_series(1, ${contacts})
      ) s
      -- Contacts are stored as they arrive: the table is in time order, as in production.
      order by r`.execute(db));
    const every = Math.max(1, Math.floor(contacts / cases));
    await time('cases, links, people, assessments, tasks, reports', async () => {
      await sql`create unlogged table bench_case as
        select gen_random_uuid() as case_id, id as contact_id, received_at from contact where hotline_id = ${hotlineId} and number % ${every} = 0 order by received_at limit ${cases}`.execute(db);
      await sql`insert into hotline_case (id, hotline_id, title, status, trafficking_types, typology_code, opened_at, closed_at)
        select case_id, ${hotlineId}, decode('00', 'hex'), case when random() < 0.7 then 'closed' else 'active' end,
               ${pick(['{sex}', '{sex}', '{labour}', '{labour}', '{sex,labour}', '{}'])}::text[], 'polaris-' || (1 + floor(random() * 25))::int,
               received_at + interval '1 hour', case when random() < 0.7 then received_at + random() * interval '90 days' end
        from bench_case order by received_at`.execute(db);
      await sql`update hotline_case set status = 'active' where hotline_id = ${hotlineId} and closed_at is null and status = 'closed'`.execute(db);
      await sql`insert into case_contact (case_id, contact_id, hotline_id) select case_id, contact_id, ${hotlineId} from bench_case`.execute(db);
      await sql`create unlogged table bench_person as
        select gen_random_uuid() as person_id, case_id from bench_case, lateral generate_series(1, 1 + (random() < 0.3 and case_id is not null)::int)`.execute(db);
      await sql`insert into person (id, hotline_id, details, gender, age_range, nationality)
        select person_id, ${hotlineId}, decode('00', 'hex'), ${pick(['female', 'female', 'male', 'non_binary', 'NULL'])}, ${pick(['12_17', '18_24', '25_34', '35_44', '45_54', 'NULL'])}, ${pick(['CA', 'MX', 'PH', 'IN', 'NULL'])} from bench_person`.execute(db);
      await sql`insert into case_person (case_id, person_id, hotline_id, role) select case_id, person_id, ${hotlineId}, 'potential_victim' from bench_person`.execute(db);
      await sql`insert into assessment (hotline_id, contact_id, instrument_id, instrument_version, form, age_group, sex_level, labour_level, answers, result, assessed_at)
        select ${hotlineId}, contact_id, 'default', 1, 'short', 'adult', ${pick(['none', 'low', 'moderate', 'high'])}, ${pick(['none', 'low', 'moderate', 'high'])}, decode('00', 'hex'), decode('00', 'hex'), received_at + interval '10 minutes' from bench_case`.execute(db);
      await sql`insert into task (hotline_id, contact_id, case_id, task_key, protocol_id, protocol_version, step_id, title, owner_role, due_at, escalate_when_overdue, status, completed_at)
        select ${hotlineId}, contact_id, case_id, k, 'p', 1, k, '{"en":"t","es":"t","fr":"t"}'::jsonb, 'advocate', received_at + interval '1 day' * n, false, st,
               case when st = 'done' then received_at + interval '1 day' * n * random() * 1.3 end
        from bench_case, (values ('t1', 1), ('t2', 3)) as t(k, n), lateral (select ${pick(['done', 'done', 'done', 'open', 'skipped'])} as st) s order by received_at`.execute(db);
      const user = (await db.insertInto('app_user').values({ hotline_id: hotlineId, email: 'bench@example.org', display_name: 'Bench', password_hash: 'x', roles: ['supervisor'] }).returning('id').executeTakeFirstOrThrow()).id;
      await sql`insert into report (hotline_id, contact_id, agency_id, report_kind, status, basis, exception, needs_approval, jurisdiction_id, jurisdiction_version, requested_by, requested_at)
        select ${hotlineId}, contact_id, 'police', 'tip', ${pick(['sent', 'sent', 'requested', 'approved', 'refused'])}, b, case when b = 'exception' then 'minor' end, true, 'CA-ON', 1, ${user}, received_at + interval '2 hours'
        from bench_case, lateral (select ${pick(['consent', 'consent', 'exception', 'consent_not_required'])} as b) s where random() < 0.1`.execute(db);
      // Referrals: a third of the cases, one or two partners each, answered after minutes to days; need searches.
      await sql`create unlogged table bench_consent as select gen_random_uuid() as consent_id, case_id, contact_id, received_at from bench_case where random() < 0.33`.execute(db);
      await sql`insert into consent (id, hotline_id, contact_id, given_by, disclosure, recipients, given_at, method, recorded_by)
        select consent_id, ${hotlineId}, contact_id, 'person', 'referral_to_services', '[]'::jsonb, received_at + interval '20 minutes', 'verbal', ${user} from bench_consent`.execute(db);
      await sql`insert into referral (hotline_id, case_id, consent_id, service_id, organization_id, service_name, organization_name, needs, status, shared_fields, shared_data, token_hash,
                                     token_expires_at, ack_due_at, outcome_within_days, responded_at, outcome, created_by, created_at, updated_at)
        select ${hotlineId}, case_id, consent_id, gen_random_uuid(), ('00000000-0000-4000-8000-0000000000' || lpad((1 + floor(random() * 40))::int::text, 2, '0'))::uuid, 'Service', 'Partner',
               array[${pick(['emergency_shelter', 'shelter', 'legal', 'medical', 'mental_health', 'transport', 'case_management', 'labour_rights', 'immigration'])}], st, '{}', decode('00', 'hex'), uuid_send(gen_random_uuid()),
               at + interval '7 days', at + interval '1 day', 30, case when st <> 'sent' and st <> 'cancelled' then at + random() * random() * interval '3 days' end,
               case when st = 'closed' then ${pick(['contacted', 'services_provided', 'services_provided', 'could_not_reach', 'declined'])} end, ${user}, at, at
        from bench_consent, lateral generate_series(1, 1 + (random() < 0.4)::int) g,
             lateral (select received_at + interval '2 hours' as at, ${pick(['sent', 'accepted', 'accepted', 'closed', 'closed', 'closed', 'declined', 'cancelled'])} as st) s
        order by received_at`.execute(db);
      await sql`insert into referral_need_search (hotline_id, need, area_code, matches, searched_at)
        select ${hotlineId}, ${pick(['emergency_shelter', 'transport', 'legal', 'repatriation'])}, ${pick(['CA-ON', 'CA-QC', 'CA-NU', 'NULL'])}, (random() < 0.2)::int * 0 + (random() < 0.7)::int * 3, received_at
        from bench_consent`.execute(db);
    });
    await sql`drop table bench_consent`.execute(db);
    await sql`drop table bench_case, bench_person`.execute(db);
    await time('vacuum analyze', () => sql`vacuum analyze`.execute(db));
  } else {
    hotlineId = (await db.selectFrom('hotline').select('id').where('slug', '=', 'bench').executeTakeFirstOrThrow()).id;
  }
  const counts = await sql<{ contacts: string; cases: string; people: string; tasks: string; reports: string }>`
    select (select count(*) from contact) as contacts, (select count(*) from hotline_case) as cases, (select count(*) from person) as people,
           (select count(*) from task) as tasks, (select count(*) from report) as reports, (select count(*) from referral) as referrals`.execute(db);
  console.log(`data: ${JSON.stringify(counts.rows[0])}`);
  console.log(`load average: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  // The daily roll-up of every settled day (what the poller builds over time), then its size.
  const { rollupDays, localToday, settledBefore } = await import('../src/server/metrics/rollup.js');
  const rolled = await sql<{ n: string }>`select count(*) as n from metrics_rollup_day where hotline_id = ${hotlineId}`.execute(db);
  if (Number(rolled.rows[0].n) === 0) {
    const end = settledBefore(await localToday(db, 'America/Toronto', new Date()));
    // A year per transaction (the poller does 62 days per tick); the figures say how long a backfill takes.
    for (let from = '2021-11-27'; from < end; ) {
      const to = `${Number(from.slice(0, 4)) + 1}${from.slice(4)}` < end ? `${Number(from.slice(0, 4)) + 1}${from.slice(4)}` : end;
      await time(`roll-up ${from} – ${to}`, () => rollupDays(db, hotlineId, from, to, { shortAbandonSeconds: 5 }));
      from = to;
    }
    await sql`vacuum analyze metrics_rollup`.execute(db);
  }
  const size = await sql<{ rows: string; bytes: string }>`select count(*) as rows, pg_size_pretty(pg_total_relation_size('metrics_rollup')) as bytes from metrics_rollup`.execute(db);
  console.log(`roll-up: ${size.rows[0].rows} rows, ${size.rows[0].bytes}`);

  const runs = Number(process.env.BENCH_RUNS ?? 20);
  const views: [string, Parameters<typeof computeMetrics>[2], boolean][] = [
    ['month, whole hotline, exact', { from: '2026-10-01', to: '2026-11-01' }, false],
    ['month, whole hotline, suppressed', { from: '2026-10-01', to: '2026-11-01' }, true],
    ['month, one area, suppressed', { from: '2026-10-01', to: '2026-11-01', area: 'CA-ON' }, true],
    ['month, area and channel (two filters), suppressed', { from: '2026-10-01', to: '2026-11-01', area: 'CA-ON', channel: 'phone' }, true],
    ['this month so far (live days), exact', { from: '2026-11-01', to: '2026-12-01' }, false],
    ['quarter, exact', { from: '2026-07-01', to: '2026-10-01' }, false],
    ['year (monthly trend), exact', { from: '2025-11-01', to: '2026-11-01' }, false],
    ['year, suppressed', { from: '2025-11-01', to: '2026-11-01' }, true],
    ['year, one area, suppressed', { from: '2025-11-01', to: '2026-11-01', area: 'CA-QC' }, true],
    ['year, sex trafficking, exact', { from: '2025-11-01', to: '2026-11-01', traffickingType: 'sex' }, false],
    ['five years, exact', { from: '2021-11-01', to: '2026-12-01' }, false],
  ];
  await warm;
  // A server has been up a few seconds before its first dashboard request: HiGHS's optimised code is ready by then.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await computeMetrics(db, hotlineId, views[0][1], { suppress: true }); // warm the database caches
  // Each view's first requests are timed apart: they pay the JIT warming the code paths of that view (suppression
  // of many small cells above all) and cold database pages; a server that has been up a while serves the steady state.
  const WARM = Number(process.env.BENCH_WARM ?? 3);
  for (const [label, q, suppress] of views) {
    const first: number[] = [];
    for (let i = 0; i < WARM; i++) {
      const t0 = performance.now();
      await computeMetrics(db, hotlineId, q, { suppress });
      first.push(performance.now() - t0);
    }
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await computeMetrics(db, hotlineId, q, { suppress });
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    console.log(`dashboard view ${label}: median ${samples[samples.length >> 1].toFixed(0)} ms, p95 ${samples[Math.min(samples.length - 1, Math.floor(0.95 * samples.length))].toFixed(0)} ms (${runs} runs; first ${WARM}: ${first.map((v) => v.toFixed(0)).join(', ')} ms)`);
  }
  {
    const { computeLive } = await import('../src/server/metrics/metrics.service.js');
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await computeLive(db, hotlineId, {}, { suppress: false });
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    console.log(`live view (today + queue now): median ${samples[samples.length >> 1].toFixed(0)} ms, p95 ${samples[Math.min(samples.length - 1, Math.floor(0.95 * samples.length))].toFixed(0)} ms (${runs} runs)`);
  }
  for (const [label, q] of [['quarter, raw path (no roll-up)', { from: '2026-07-01', to: '2026-10-01' }], ['year, raw path (no roll-up)', { from: '2025-11-01', to: '2026-11-01' }]] as const) {
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await computeMetrics(db, hotlineId, q, { suppress: false, rollup: 'off' });
      samples.push(performance.now() - t0);
    }
    console.log(`dashboard view ${label}: ${samples.map((x) => x.toFixed(0)).join(', ')} ms`);
  }
  await runReportBench(db, hotlineId);
  console.log(`load average: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const report = await buildMonthlyReport(db, hotlineId, { month: '2026-10', locale: 'en' });
    const t1 = performance.now();
    const pdf = await renderMonthlyPdf(report);
    const t2 = performance.now();
    const xlsx = await renderMonthlyXlsx(report);
    const t3 = performance.now();
    console.log(`monthly report 2026-10: figures ${(t1 - t0).toFixed(0)} ms, PDF ${(t2 - t1).toFixed(0)} ms (${pdf.length} bytes), total to PDF ${(t2 - t0).toFixed(0)} ms; XLSX ${(t3 - t2).toFixed(0)} ms`);
    if (i === 0 && process.env.BENCH_PDF_OUT) (await import('node:fs')).writeFileSync(process.env.BENCH_PDF_OUT, pdf);
  }
  await db.destroy();
  if (process.env.BENCH_KEEP !== '1') await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
