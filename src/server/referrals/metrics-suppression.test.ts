import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attackPublication } from '../metrics/attacker.js';
import type { PublishedCell } from '../metrics/suppression.js';
import { referralMetricsTable, suppressReferralCounts, type ExactReferralMetrics } from './metrics-suppression.js';

// An attacker with the analysts' view of the referral metrics tries to recover hidden counts from the totals
// (docs/referrals.md, Metrics). The attacker knows every relation between the figures, reads only what is published,
// and, when each referral has one need, that a partner's total is the sum of its per-need cells.

type Outcome = 'contacted' | 'services_provided' | 'could_not_reach' | 'declined' | null;
interface FakeReferral { org: string; needs: string[]; answer: 'none' | 'accepted' | 'declined'; outcome: Outcome; overdue: boolean }

/** The exact metrics, computed as the SQL of metrics.ts does. */
function exact(referrals: FakeReferral[]): ExactReferralMetrics & { unmetNeeds: { searches: number }[] } {
  const pairs = new Map<string, ExactReferralMetrics['byPartnerAndNeed'][number]>();
  const totals = () => ({ made: 0, accepted: 0, declined: 0, servicesProvided: 0, overdue: 0 });
  const byPartner = new Map<string, { organizationId: string; organizationName: string; made: number; accepted: number; declined: number; servicesProvided: number; overdue: number }>();
  const byNeed = new Map<string, { need: string; made: number; accepted: number; declined: number; servicesProvided: number; overdue: number }>();
  const count = (t: { made: number; accepted: number; declined: number; servicesProvided: number; overdue: number }, r: FakeReferral) => {
    t.made++;
    if (r.answer === 'accepted') t.accepted++;
    if (r.answer === 'declined') t.declined++;
    if (r.outcome === 'services_provided') t.servicesProvided++;
    if (r.overdue) t.overdue++;
  };
  for (const r of referrals) {
    count(byPartner.get(r.org) ?? byPartner.set(r.org, { organizationId: r.org, organizationName: r.org, ...totals() }).get(r.org)!, r);
    for (const need of r.needs) {
      count(byNeed.get(need) ?? byNeed.set(need, { need, ...totals() }).get(need)!, r);
      const key = `${r.org}|${need}`;
      const cell = pairs.get(key) ?? pairs.set(key, { organizationId: r.org, organizationName: r.org, need, made: 0, accepted: 0, declined: 0, acceptanceRate: null, medianHoursToAcknowledge: 5, meanHoursToAcknowledge: 5, outcomes: { contacted: 0, services_provided: 0, could_not_reach: 0, declined: 0 }, overdue: 0 }).get(key)!;
      cell.made++;
      if (r.answer === 'accepted') cell.accepted++;
      if (r.answer === 'declined') cell.declined++;
      if (r.outcome) cell.outcomes[r.outcome]++;
      if (r.overdue) cell.overdue++;
    }
  }
  for (const cell of pairs.values()) cell.acceptanceRate = cell.accepted + cell.declined ? cell.accepted / (cell.accepted + cell.declined) : null;
  return { byPartner: [...byPartner.values()], byNeed: [...byNeed.values()], byPartnerAndNeed: [...pairs.values()], unmetNeeds: [] };
}

type View = Awaited<ReturnType<typeof suppressReferralCounts>>;
type Shown = number | string;

/**
 * What the attacker reads, cell by cell of the relations: a published count, "<3" (1..2), or "x" (hidden, ≥ 0).
 * Figures that are never published (pair totals and surpluses of partners with multi-need referrals) are unknowns ≥ 0.
 */
function readerView(exactMetrics: ExactReferralMetrics, view: { byPartner: Record<string, any>[]; byNeed: Record<string, any>[]; byPartnerAndNeed: Record<string, any>[] }) {
  const table = referralMetricsTable(exactMetrics);
  const shown = new Map<string, Shown>();
  for (const p of view.byPartner) shown.set(`P|${p.organizationId}`, p.made);
  for (const n of view.byNeed) shown.set(`C|${n.need}`, n.made);
  for (const r of view.byPartnerAndNeed) shown.set(`c|${r.organizationId}|${r.need}`, r.made);
  const published = new Map<string, PublishedCell>();
  for (const cell of table.cells) {
    const v = shown.get(cell.id);
    published.set(cell.id, v === undefined ? { suppressed: true, display: 'x' } : typeof v === 'number' ? { value: v } : { suppressed: true, display: v });
  }
  const secret = [...shown].filter(([, v]) => typeof v === 'string').map(([id]) => id);
  return { table, published, secret };
}

async function recovered(exactMetrics: ExactReferralMetrics, view: Parameters<typeof readerView>[1]) {
  const { table, published, secret } = readerView(exactMetrics, view);
  const ranges = await attackPublication(table, published);
  return { secret, pinned: ranges.filter((r) => secret.includes(r.id) && r.min === r.max).map((r) => r.id) };
}

/** The suppression before this change: counts 1–2 shown "<3", nothing else hidden. */
function primaryOnly(m: ReturnType<typeof exact>) {
  const cell = (n: number): Shown => (n > 0 && n < 3 ? '<3' : n);
  const t = (x: Record<string, any>) => ({ ...x, made: cell(x.made), accepted: cell(x.accepted), declined: cell(x.declined), servicesProvided: cell(x.servicesProvided), overdue: cell(x.overdue) });
  return {
    byPartner: m.byPartner.map(t),
    byNeed: m.byNeed.map(t),
    byPartnerAndNeed: m.byPartnerAndNeed.map((r) => ({ ...r, made: cell(r.made), accepted: cell(r.accepted), declined: cell(r.declined), overdue: cell(r.overdue), outcomes: Object.fromEntries(Object.entries(r.outcomes).map(([k, v]) => [k, cell(v)])) })),
  };
}

const referral = (org: string, needs: string[], answer: FakeReferral['answer'] = 'accepted', outcome: Outcome = null, overdue = false): FakeReferral => ({ org, needs, answer, outcome, overdue });

describe('complementary suppression of the referral metrics', () => {
  // Shelter A: four referrals for shelter and one for legal help, each with one need; Legal B: five for legal help.
  const referrals = [
    ...Array.from({ length: 4 }, () => referral('A', ['shelter'], 'accepted', 'services_provided')),
    referral('A', ['legal'], 'declined'),
    ...Array.from({ length: 5 }, (_, i) => referral('B', ['legal'], i < 4 ? 'accepted' : 'declined', i < 3 ? 'contacted' : null, i === 4)),
  ];

  it('is needed: with "<3" alone, the hidden cell is the partner total minus the visible one', async () => {
    const m = exact(referrals);
    const naive = primaryOnly(m);
    expect(naive.byPartnerAndNeed.find((r) => r.organizationId === 'A' && r.need === 'legal')!.made).toBe('<3');
    const { pinned } = await recovered(m, naive);
    expect(pinned).toContain('c|A|legal');
  });

  it('hides enough that no hidden count can be recovered from the totals', async () => {
    const m = exact(referrals);
    const view = await suppressReferralCounts(m);
    expect(view.suppressed).toBe(true);
    const cell = view.byPartnerAndNeed.find((r) => r.organizationId === 'A' && r.need === 'legal')!;
    expect(cell.made).toBe('<3');
    const { secret, pinned } = await recovered(m, view);
    expect(secret.length).toBeGreaterThan(1);
    expect(pinned).toEqual([]);
    // B's only cell is its total, and legal's total gives A's hidden legal cell away unless B's is hidden too: the
    // complement is the smallest count that protects it.
    expect(view.byPartnerAndNeed.find((r) => r.organizationId === 'B')!.made).toBe('x');
    // No 1 or 2 anywhere.
    const numbers: number[] = [];
    JSON.stringify(view, (key, value) => { if (typeof value === 'number' && !/Rate|Hours/.test(key)) numbers.push(value); return value; });
    expect(numbers.filter((n) => n === 1 || n === 2)).toEqual([]);
    // A rate from hidden counts is not shown, and counts other than referrals made are not in this view.
    expect(cell.acceptanceRate).toBeNull();
    expect(view.byPartnerAndNeed.every((r) => r.accepted === null && r.outcomes.services_provided === null)).toBe(true);
    // No share from a hidden total, nor one behind which a small count hides (B: 4 of 5 accepted, so 1 declined).
    expect(view.byPartner.find((p) => p.organizationId === 'B')!.acceptanceRate).toBeNull();
  });

  it('holds for any referral history (property: random partners, needs, answers, outcomes)', async () => {
    const arbitraryReferral = fc.record({
      org: fc.constantFrom('A', 'B', 'C'),
      needs: fc.subarray(['shelter', 'legal', 'medical'], { minLength: 1 }),
      answer: fc.constantFrom('none', 'accepted', 'declined') as fc.Arbitrary<FakeReferral['answer']>,
      outcome: fc.constantFrom<Outcome>(null, 'contacted', 'services_provided', 'could_not_reach', 'declined'),
      overdue: fc.boolean(),
    }).map((r) => ({ ...r, outcome: r.answer === 'accepted' ? r.outcome : null }));
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryReferral, { minLength: 1, maxLength: 25 }), fc.boolean(), async (list, singleNeed) => {
        const history = singleNeed ? list.map((r) => ({ ...r, needs: r.needs.slice(0, 1) })) : list;
        const m = exact(history);
        const view = await suppressReferralCounts(m);
        const { pinned } = await recovered(m, view);
        expect(pinned).toEqual([]);
      }),
      { numRuns: 60, seed: 20261129 },
    );
  }, 120_000);
});
