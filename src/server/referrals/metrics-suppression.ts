import { DEFAULT_SUPPRESSION_THRESHOLD, smallCellDisplay, suppressLinear, type LinearTable, type PublishedCell } from '../metrics/suppression.js';

/**
 * The referral metrics for roles without case access (analysts, admins): counts protected by primary and
 * complementary suppression with the one algorithm of src/server/metrics/suppression.ts (docs/suppression.md).
 *
 * What they get: referrals made per partner and need, per partner and per need (one linear table, below), and rates
 * and times shown only where they cannot give a small count away. The counts of accepted, declined, outcomes and overdue
 * are not in this view (null): broken down by partner and need they are mostly 1s and 2s, and with the totals and the
 * relations between them (made = accepted + declined + unanswered, …) protecting them hid nearly every figure (measured:
 * 90 % of non-zero cells at 600 referrals, and 50 s of solving). Supervisors see everything exactly.
 *
 * The table: one cell per partner and need (referral-need pairs); per need (byNeed) = the sum over partners (exact:
 * both count pairs); per partner (byPartner) counts referrals, which is the sum of its cells plus the extra pairs of its
 * referrals with several needs (`S`, never published). Without such referrals the partner total is exactly the row
 * total, as a reader may guess, so then there is no `S` and the attacker the algorithm defends against knows the sum.
 */

type Published = number | string;
interface Totals { made: number; accepted: number; declined: number; servicesProvided: number; overdue: number }
export interface ExactReferralMetrics {
  byPartner: ({ organizationId: string; organizationName: string } & Totals)[];
  byNeed: ({ need: string } & Totals)[];
  byPartnerAndNeed: {
    organizationId: string; organizationName: string; need: string; made: number; accepted: number; declined: number;
    acceptanceRate: number | null; medianHoursToAcknowledge: number | null; meanHoursToAcknowledge: number | null;
    outcomes: { contacted: number; services_provided: number; could_not_reach: number; declined: number }; overdue: number;
  }[];
}

const cellId = (organizationId: string, need: string) => `c|${organizationId}|${need}`;
const partnerId = (organizationId: string) => `P|${organizationId}`;
const needId = (need: string) => `C|${need}`;

/** The linear table of referrals made (exported for the tests' attacker). */
export function referralMetricsTable(m: ExactReferralMetrics): LinearTable {
  const cells: { id: string; value: number }[] = [];
  const equations: { total: string; parts: string[] }[] = [];
  for (const r of m.byPartnerAndNeed) cells.push({ id: cellId(r.organizationId, r.need), value: r.made });
  for (const p of m.byPartner) {
    const rows = m.byPartnerAndNeed.filter((r) => r.organizationId === p.organizationId);
    const pairs = rows.reduce((s, r) => s + r.made, 0);
    const surplus = pairs - p.made;
    cells.push({ id: partnerId(p.organizationId), value: p.made });
    if (surplus === 0) {
      equations.push({ total: partnerId(p.organizationId), parts: rows.map((r) => cellId(r.organizationId, r.need)) });
    } else {
      cells.push({ id: `R|${p.organizationId}`, value: pairs }, { id: `S|${p.organizationId}`, value: surplus });
      equations.push({ total: `R|${p.organizationId}`, parts: rows.map((r) => cellId(r.organizationId, r.need)) });
      equations.push({ total: `R|${p.organizationId}`, parts: [partnerId(p.organizationId), `S|${p.organizationId}`] });
    }
  }
  for (const n of m.byNeed) {
    cells.push({ id: needId(n.need), value: n.made });
    equations.push({ total: needId(n.need), parts: m.byPartnerAndNeed.filter((r) => r.need === n.need).map((r) => cellId(r.organizationId, r.need)) });
  }
  // No grand total: it is not published, and that the per-need and the per-partner sums agree follows from the cells.
  return { cells, equations: equations.filter((e) => e.parts.length > 0) };
}

const t = DEFAULT_SUPPRESSION_THRESHOLD;
const isSmall = (n: number) => n > 0 && n < t;
/**
 * A share a/b is shown only beside a visible count made (a share from a hidden one would narrow it), from at least 3,
 * when neither a nor b − a is a small count: it then gives no small count away.
 */
const share = (a: number, b: number, madeVisible: boolean) => (madeVisible && b >= t && !isSmall(a) && !isSmall(b - a) ? Math.round((a / b) * 1000) / 1000 : null);

/** The same table gives the same publication (suppressLinear is deterministic): the last few are kept. */
const recent = new Map<string, Promise<Map<string, PublishedCell>>>();
function suppressCached(table: LinearTable) {
  const key = JSON.stringify(table);
  let found = recent.get(key);
  if (!found) {
    found = suppressLinear(table, { threshold: t }).then((r) => r.cells);
    found.catch(() => recent.delete(key));
    recent.set(key, found);
    if (recent.size > 16) recent.delete(recent.keys().next().value!);
  }
  return found;
}

/** The analysts' view of the referral metrics. */
export async function suppressReferralCounts<M extends ExactReferralMetrics & { unmetNeeds: { searches: number }[] }>(m: M) {
  const cells = await suppressCached(referralMetricsTable(m));
  const visible = (id: string) => !('suppressed' in (cells.get(id) as PublishedCell));
  const show = (id: string, exact: number): Published => {
    const cell = cells.get(id) as PublishedCell;
    return 'suppressed' in cell ? cell.display : exact;
  };
  const totals = (id: string, x: Totals) => ({
    made: show(id, x.made),
    // Counts not in this view (see the module comment).
    accepted: null, declined: null, servicesProvided: null, overdue: null,
    // Of the referrals answered, the share accepted; of those accepted, the share where services were provided.
    acceptanceRate: share(x.accepted, x.accepted + x.declined, visible(id)),
    servicesProvidedRate: share(x.servicesProvided, x.accepted, visible(id)),
  });
  const { byPartner: _p, byNeed: _n, byPartnerAndNeed: _pn, unmetNeeds: _u, ...rest } = m;
  return {
    ...rest,
    suppressed: true,
    byPartner: m.byPartner.map((p) => ({ organizationId: p.organizationId, organizationName: p.organizationName, ...totals(partnerId(p.organizationId), p) })),
    byNeed: m.byNeed.map((n) => ({ need: n.need, ...totals(needId(n.need), n) })),
    byPartnerAndNeed: m.byPartnerAndNeed.map((r) => {
      const id = cellId(r.organizationId, r.need);
      // A rate or a time only where the share may be shown (a time tells how many answered no more than the rate).
      const shown = share(r.accepted, r.accepted + r.declined, visible(id)) !== null;
      return {
        organizationId: r.organizationId, organizationName: r.organizationName, need: r.need,
        made: show(id, r.made), accepted: null, declined: null, overdue: null,
        acceptanceRate: shown ? r.acceptanceRate : null,
        medianHoursToAcknowledge: shown ? r.medianHoursToAcknowledge : null,
        meanHoursToAcknowledge: shown ? r.meanHoursToAcknowledge : null,
        outcomes: { contacted: null, services_provided: null, could_not_reach: null, declined: null },
      };
    }),
    // A list with no totals: primary suppression is enough.
    unmetNeeds: m.unmetNeeds.map((u) => ({ ...u, searches: isSmall(u.searches) ? smallCellDisplay(t) : u.searches })),
  };
}
