/**
 * Search budgets (issue 5): p95 of name, phone and text searches and of contact suggestions (budget 30 ms) over a
 * synthetic hotline. The full budget size is 1,000,000 contacts / 300,000 people / 200,000 cases; `--scale 0.1` loads
 * a tenth of that. People come from the linkage benchmark generator (names in en/es/fr with realistic corruptions).
 *   npx tsx bench/search.bench.ts [--scale 1] [--queries 200]
 * Uses PostgreSQL at BENCH_DATABASE_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres) in a
 * throw-away database. Latency is measured around the service call (database, decryption, audit row), not HTTP.
 */
import os from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.js';
import { RuleCache, type AppContext } from '../src/server/context.js';
import { KeyStore } from '../src/server/crypto/keystore.js';
import { buildKeyring } from '../src/server/crypto/master-key.js';
import { createDb } from '../src/server/db/db.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createHotline } from '../src/server/hotlines/hotlines.repo.js';
import { createLogger } from '../src/server/log.js';
import { SessionCache } from '../src/server/auth/sessions.js';
import { createUser } from '../src/server/users/users.service.js';
import { compilePermissions } from '../src/server/permissions/engine.js';
import { DEFAULT_RULES } from '../src/server/permissions/defaults.js';
import { generateBenchmark } from '../src/server/linkage/benchmark.js';
import { Random } from '../src/server/synthetic/random.js';
import { hashAll, nameTokens, stemTexts, tokenHasher } from '../src/server/search/tokens.js';
import { search } from '../src/server/search/search.service.js';
import { suggestForContact } from '../src/server/search/suggestions.service.js';
import { searchQuery } from '../src/shared/api/search.js';
import type { PersonRecord } from '../src/shared/linkage/person-record.js';
import { reindexHotline } from '../src/server/search/reindex.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SCALE = arg('scale', 0.1);
const QUERIES = arg('queries', 200);
const CONTACTS = Math.round(1_000_000 * SCALE);
const PEOPLE = Math.round(300_000 * SCALE);
const CASES = Math.round(200_000 * SCALE);
const BATCH = 1000;
const SUGGESTION_BUDGET_MS = 30;

const PLACES = ['restaurant', 'farm', 'nail salon', 'construction site', 'motel', 'massage parlour', 'warehouse', 'factory', 'bar', 'private house', 'car wash', 'cleaning company', 'fishing boat', 'greenhouse', 'hotel'];
const PHRASES = [
  'Caller says the workers sleep at the %s and cannot leave.',
  'El patrón se quedó con los pasaportes en el %s.',
  'Les employées du %s ne sont pas payées depuis trois mois.',
  'Neighbour reports young women brought to the %s every night.',
  'Trabajan en el %s sin descanso y les cobran una deuda.',
  'Le propriétaire du %s menace de les dénoncer à l’immigration.',
  'Follow-up: the %s manager moved the workers to another city.',
  'Amiga dice que la obligan a trabajar en el %s para pagar el viaje.',
];

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2));
}

function typo(random: Random, word: string) {
  if (word.length < 4) return word;
  const i = random.int(1, word.length - 2);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swap two neighbours
}

interface BenchPerson { id: string; benchId: string; given: string; family: string; phone: string }
interface Loaded { hotlineId: string; people: BenchPerson[]; contactIds: string[] }

/** A synthetic hotline: cases with titles, people spread over them, contacts (a fifth linked to cases), all indexed. */
async function load(ctx: AppContext, generated: PersonRecord[]): Promise<Loaded> {
  const { db, keys } = ctx;
  const hotline = await db.transaction().execute((tx) => createHotline(tx, keys, { slug: 'bench', name: 'Bench', country: 'CA', timezone: 'America/Toronto' }));
  const created = await createUser(ctx, hotline.id, { email: 'advocate@bench.invalid', displayName: 'Bench', roles: ['advocate'], password: 'correct-horse-battery-staple-7' }, { id: null, label: 'bench' });
  if (!created.ok) throw new Error(created.error.message);
  const hash = await tokenHasher(ctx, hotline.id);
  const random = new Random(7);
  const stemCache = new Map<string, number[]>();
  const textTokensOf = async (texts: string[]) => {
    const missing = [...new Set(texts.filter((t) => !stemCache.has(t)))];
    const stems = await stemTexts(db, missing);
    missing.forEach((t, i) => stemCache.set(t, hashAll(hash, stems[i].map((s) => `t:${s}`))));
    return texts.map((t) => stemCache.get(t)!);
  };
  const summary = () => random.pick(PHRASES).replace('%s', random.pick(PLACES));

  // Cases, each with a title; people spread over them (1–3 per case); contacts, a fifth of them linked to a case.
  const t0 = performance.now();
  const caseIds: string[] = [];
  for (let done = 0; done < CASES; done += BATCH) {
    const n = Math.min(BATCH, CASES - done);
    const titles = Array.from({ length: n }, summary);
    const rows = await Promise.all(titles.map(async (title) => ({ id: randomUUID(), hotline_id: hotline.id, title: await keys.encrypt(hotline.id, 'hotline_case.title', title), status: random.pick(['open', 'active', 'follow_up', 'closed']), trafficking_types: [random.pick(['sex', 'labour'])], sensitivity: random.chance(0.02) ? 'restricted' : 'normal', assignee_id: null, team: null, created_by: null, closed_at: null, updated_at: new Date() })));
    const tokens = await textTokensOf(titles);
    await db.insertInto('hotline_case').values(rows).execute();
    await db.insertInto('search_doc').values(rows.map((r, i) => ({ record_type: 'case' as const, record_id: r.id, hotline_id: hotline.id, case_id: r.id, text_tokens: tokens[i], indexed_at: new Date() }))).execute();
    caseIds.push(...rows.map((r) => r.id));
  }
  const casesSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const people: BenchPerson[] = [];
  for (let done = 0; done < generated.length; done += BATCH) {
    const slice = generated.slice(done, done + BATCH);
    const rows = await Promise.all(
      slice.map(async (r) => {
        // benchId ties the person to the generator's known truth (which records are the same real person).
        const details = { givenNames: r.given_names || undefined, familyNames: r.family_names || undefined, aliases: [], phones: r.phone ? [r.phone] : [], emails: r.email ? [r.email] : [], dateOfBirth: /^\d{4}-\d{2}-\d{2}$/.test(r.date_of_birth ?? '') ? r.date_of_birth : undefined, benchId: r.id };
        return {
          row: { id: randomUUID(), hotline_id: hotline.id, details: await keys.encrypt(hotline.id, 'person.details', JSON.stringify(details)), gender: null, age_range: null, nationality: null, phone_indexes: await Promise.all(details.phones.map((p) => keys.blindIndex(hotline.id, 'phone', p))), email_indexes: await Promise.all(details.emails.map((e) => keys.blindIndex(hotline.id, 'email', e))), created_by: null, updated_at: new Date() },
          details,
        };
      }),
    );
    await db.insertInto('person').values(rows.map((r) => r.row)).execute();
    const links = rows.map((r) => ({ case_id: random.pick(caseIds), person_id: r.row.id, hotline_id: hotline.id, role: random.pick(['potential_victim', 'signaler', 'suspected_trafficker', 'witness']) }));
    await db.insertInto('case_person').values(links).execute();
    await db.insertInto('search_doc').values(rows.map((r) => ({ record_type: 'person' as const, record_id: r.row.id, hotline_id: hotline.id, case_id: null, name_tokens: nameTokens(hash, r.details), indexed_at: new Date() }))).execute();
    rows.forEach((r) => people.push({ id: r.row.id, benchId: r.details.benchId, given: r.details.givenNames ?? '', family: r.details.familyNames ?? '', phone: r.details.phones[0] ?? '' }));
  }
  const peopleSeconds = (performance.now() - t1) / 1000;

  const t2 = performance.now();
  const contactIds: string[] = [];
  for (let done = 0; done < CONTACTS; done += BATCH) {
    const n = Math.min(BATCH, CONTACTS - done);
    // A third of the contacts come from a number that belongs to a person on a case.
    const phones = Array.from({ length: n }, () => (random.chance(0.33) ? random.pick(people).phone : `+1555${random.digits(7)}`) || `+1555${random.digits(7)}`);
    const threads = await Promise.all(phones.map(async (p) => ({ id: randomUUID(), hotline_id: hotline.id, channel: 'sms', access_point_id: null, correspondent_index: await keys.blindIndex(hotline.id, 'phone', p), correspondent: await keys.encrypt(hotline.id, 'contact_thread.correspondent', p), subject: null, follow_up_code: null, follow_up_secret_hash: null, last_activity_at: new Date() })));
    await db.insertInto('contact_thread').values(threads).execute();
    const summaries = Array.from({ length: n }, summary);
    const received = Date.now() - random.int(0, 365 * 86_400_000);
    const contacts = await Promise.all(threads.map(async (th, i) => ({ id: randomUUID(), hotline_id: hotline.id, thread_id: th.id, access_point_id: null, channel: 'sms', direction: 'inbound', status: 'closed', priority: 50, received_at: new Date(received - i * 1000), answered_at: null, ended_at: null, sla_due_at: null, assigned_to: null, handled_by: null, team: null, language: null, signaler_type: null, request_type: null, heard_about: null, area_code: null, flags: JSON.stringify({}), sensitivity: 'normal', summary: await keys.encrypt(hotline.id, 'contact.summary', summaries[i]), notes: null, form_version: null, form_data: null, created_by: null, updated_at: new Date(received - i * 1000) })));
    await db.insertInto('contact').values(contacts as never).execute();
    const tokens = await textTokensOf(summaries);
    await db.insertInto('search_doc').values(contacts.map((c, i) => ({ record_type: 'contact' as const, record_id: c.id, hotline_id: hotline.id, case_id: null, text_tokens: tokens[i], indexed_at: c.updated_at }))).execute();
    const linked = contacts.filter(() => random.chance(0.2)).map((c) => ({ case_id: random.pick(caseIds), contact_id: c.id, hotline_id: hotline.id, linked_by: null }));
    if (linked.length) await db.insertInto('case_contact').values(linked).onConflict((oc) => oc.doNothing()).execute();
    contactIds.push(...contacts.map((c) => c.id));
  }
  await db.insertInto('search_watermark').values({ hotline_id: hotline.id, source: 'contact', indexed_until: new Date() }).execute();
  const contactsSeconds = (performance.now() - t2) / 1000;
  // The steady state of a running hotline: autovacuum has run (person phone/email GIN indexes keep a pending list).
  await sql`vacuum analyze`.execute(db);
  console.log(`loaded in ${(casesSeconds + peopleSeconds + contactsSeconds).toFixed(0)} s (cases ${casesSeconds.toFixed(0)} s, people ${peopleSeconds.toFixed(0)} s, contacts ${contactsSeconds.toFixed(0)} s)`);
  return { hotlineId: hotline.id, people, contactIds };
}

/** A database kept by an earlier run (BENCH_KEEP): the people are read back (decrypted) to make the queries. */
async function reload(ctx: AppContext): Promise<Loaded> {
  const hotline = await ctx.db.selectFrom('hotline').select('id').where('slug', '=', 'bench').executeTakeFirstOrThrow();
  const people: BenchPerson[] = [];
  for (const row of await ctx.db.selectFrom('person').select(['id', 'details']).where('hotline_id', '=', hotline.id).execute()) {
    const d = JSON.parse(await ctx.keys.decrypt(hotline.id, 'person.details', row.details));
    people.push({ id: row.id, benchId: d.benchId, given: d.givenNames ?? '', family: d.familyNames ?? '', phone: d.phones?.[0] ?? '' });
  }
  people.sort((a, b) => Number(a.benchId.replace(/\D/g, '')) - Number(b.benchId.replace(/\D/g, '')) || a.benchId.localeCompare(b.benchId));
  const contactIds = (await ctx.db.selectFrom('contact').select('id').where('hotline_id', '=', hotline.id).orderBy('received_at').execute()).map((r) => r.id);
  console.log(`reusing ${people.length} people, ${contactIds.length} contacts`);
  return { hotlineId: hotline.id, people, contactIds };
}

async function main() {
  console.log(`search bench · ${new Date().toISOString()} · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · ${CONTACTS} contacts / ${PEOPLE} people / ${CASES} cases`);
  const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  // BENCH_REUSE=<database> (with the BENCH_MASTER_KEY it was loaded with) measures a database kept by BENCH_KEEP again
  // without reloading it: new migrations are applied and, with --reindex, the search index is rebuilt.
  const reuse = process.env.BENCH_REUSE;
  const name = reuse ?? `catalyst_bench_search_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client(admin);
  await client.connect();
  if (!reuse) await client.query(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 4 });
  try {
    await migrateToLatest(db);
    const config = loadConfig({}, { databaseUrl: url.toString(), logLevel: 'silent', port: 0 });
    const masterKey = process.env.BENCH_MASTER_KEY ?? randomBytes(32).toString('base64');
    const keys = new KeyStore(db, buildKeyring(masterKey));
    const ctx: AppContext = { config, db, keys, log: createLogger('silent'), rules: new RuleCache(db), sessions: new SessionCache(), live: null, databaseUrl: url.toString() };
    const benchmark = generateBenchmark({ size: PEOPLE, seed: 11 });
    const loaded = reuse ? await reload(ctx) : await load(ctx, benchmark.records);
    const { hotlineId, people, contactIds } = loaded;
    if (process.argv.includes('--reindex')) {
      const t = performance.now();
      const counts = await reindexHotline(ctx, hotlineId);
      console.log(`re-indexed ${JSON.stringify(counts)} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
      await sql`vacuum analyze`.execute(db);
    }
    const user = await db.selectFrom('app_user').select('id').where('hotline_id', '=', hotlineId).where('email', '=', 'advocate@bench.invalid').executeTakeFirstOrThrow();
    const actor = { id: user.id, hotlineId, roles: ['advocate' as const], organisationId: null };
    const who = { actor, can: compilePermissions(DEFAULT_RULES, actor), label: 'bench', ip: null };
    const random = new Random(7);
    const benchIdOf = new Map(people.map((p) => [p.id, p.benchId]));
    // Known truth: a hit is right if it is the very record, or another recording of the same real person.
    const sameEntity = (personId: string, benchId: string) => {
      const other = benchIdOf.get(personId);
      return other !== undefined && benchmark.entityOf.get(other) === benchmark.entityOf.get(benchId);
    };

    const quality = { shown: 0, right: 0, withAny: 0, topRight: 0 };
    // run() answers [found the expected record, found the same real person (any of its recordings)].
    const measure = async (label: string, run: (i: number) => Promise<boolean | boolean[]>) => {
      const times: number[] = [];
      let found = 0;
      let foundEntity = 0;
      for (let i = 0; i < 10; i++) await run(i); // warm-up
      for (let i = 0; i < QUERIES; i++) {
        const t = performance.now();
        const [record, entity = record] = [await run(i)].flat();
        times.push(performance.now() - t);
        if (record) found++;
        if (entity) foundEntity++;
      }
      return { label, queries: QUERIES, p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: percentile(times, 1), foundExpected: Number((found / QUERIES).toFixed(3)), foundSamePerson: Number((foundEntity / QUERIES).toFixed(3)) };
    };
    const withNames = people.filter((p) => p.given && p.family);
    const withPhones = people.filter((p) => p.phone);
    const results = [
      await measure('name (one typo in the family name)', async () => {
        const p = random.pick(withNames);
        const out = await search(ctx, who, searchQuery.parse({ q: `${p.given} ${typo(random, p.family)}` }));
        return [out.items.some((h) => h.id === p.id), out.items.some((h) => sameEntity(h.id, p.benchId))];
      }),
      await measure('phone (other format)', async () => {
        const p = random.pick(withPhones);
        const out = await search(ctx, who, searchQuery.parse({ q: p.phone.replace(/^\+/, '00') }));
        return out.items.some((h) => h.id === p.id);
      }),
      await measure('text (two words, en/es/fr stems)', async () => {
        const out = await search(ctx, who, searchQuery.parse({ q: `${random.pick(['pasaportes', 'workers', 'payées', 'deuda', 'immigration'])} ${random.pick(PLACES).split(' ')[0]}` }));
        return out.items.length > 0;
      }),
      await measure('suggestions (typed misspelt name on a contact)', async () => {
        const p = random.pick(withNames);
        const out = await suggestForContact(ctx, who, random.pick(contactIds), { givenNames: p.given, familyNames: typo(random, p.family) });
        if (!out.ok) return [false, false];
        // Precision: of the people suggested, how many are the person typed (any recording of them); and the first one.
        const suggested = out.value.items.filter((s) => benchIdOf.has(s.id));
        quality.shown += suggested.length;
        quality.right += suggested.filter((s) => sameEntity(s.id, p.benchId)).length;
        if (suggested.length > 0) {
          quality.withAny++;
          if (sameEntity(suggested[0].id, p.benchId)) quality.topRight++;
        }
        return [out.value.items.some((s) => s.id === p.id), out.value.items.some((s) => sameEntity(s.id, p.benchId))];
      }),
    ];
    const recall = results[3].foundSamePerson;
    const topPrecision = quality.withAny ? quality.topRight / quality.withAny : 0;
    const suggestionQuality = {
      // Over the measured and warm-up queries alike (the same generator, the same truth).
      precisionOfAllShown: Number((quality.right / Math.max(1, quality.shown)).toFixed(3)),
      precisionOfFirst: Number(topPrecision.toFixed(3)),
      recallSamePerson: recall,
      f1First: Number(((2 * topPrecision * recall) / Math.max(1e-9, topPrecision + recall)).toFixed(3)),
      meanShown: Number((quality.shown / Math.max(1, quality.withAny)).toFixed(1)),
    };
    console.log(`suggestion quality: ${JSON.stringify(suggestionQuality)}`);
    const figures = { date: new Date().toISOString().slice(0, 10), load: os.loadavg().map((l) => Number(l.toFixed(1))), machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`, contacts: CONTACTS, people: PEOPLE, cases: CASES, results, suggestionQuality, suggestionsWithinBudget: results[3].p95 <= SUGGESTION_BUDGET_MS };
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await db.destroy();
    if (process.env.BENCH_KEEP) console.log(`kept database ${name}`);
    else await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
