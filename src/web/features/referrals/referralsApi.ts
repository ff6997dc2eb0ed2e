import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';

export interface Referral {
  id: string;
  caseId: string;
  caseReference: string | null;
  serviceId: string;
  serviceName: string;
  organizationId: string;
  organizationName: string;
  needs: string[];
  /** Set when this referral is a report sent to a reporting agency under the jurisdiction's rules. */
  reportId: string | null;
  status: 'sent' | 'accepted' | 'declined' | 'closed' | 'cancelled';
  outcome: string | null;
  overdue: boolean;
  sharedFields: string[];
  createdAt: string;
  ackDueAt: string;
  outcomeDueAt: string | null;
  respondedAt: string | null;
  outcomeAt: string | null;
  escalatedAt: string | null;
  linkExpiresAt: string;
  warmTransfer: { startedAt: string; endedAt: string | null } | null;
  /** Where the partner-link email stands (null for referrals made before emails were tracked). */
  linkEmail: { status: 'sending' | 'retrying' | 'sent' | 'failed' | 'not_sent'; at: string | null } | null;
}

export interface ReferralDetail extends Referral {
  shared: Record<string, string | null>;
  responseNote: string | null;
  outcomeNote: string | null;
}

export interface CreatedReferral {
  id: string;
  serviceName: string;
  organizationName: string;
  link: string;
  linkExpiresAt: string;
  /** Whether the server emailed the link to the partner; otherwise the advocate gives it by hand. */
  email: { emailed: true; locale: string } | { emailed: false; reason: 'no_partner_email' | 'no_relay' | 'no_public_url' } | { emailed: false; reason: 'send_failed'; retryAt: string | null };
}

/** A count, "<3" or "x" when suppressed for the reader's role, or null where the role's view leaves it out. */
export type Count = number | string | null;

export interface TotalMetrics {
  made: Count;
  accepted: Count;
  declined: Count;
  servicesProvided: Count;
  overdue: Count;
}

export interface PartnerNeedMetrics {
  organizationId: string;
  organizationName: string;
  need: string;
  made: Count;
  accepted: Count;
  declined: Count;
  acceptanceRate: number | null;
  medianHoursToAcknowledge: number | null;
  outcomes: Record<'contacted' | 'services_provided' | 'could_not_reach' | 'declined', Count>;
  overdue: Count;
}

export interface ReferralMetrics {
  since: string;
  suppressed: boolean;
  byPartner: (TotalMetrics & { organizationId: string; organizationName: string })[];
  byNeed: (TotalMetrics & { need: string })[];
  byPartnerAndNeed: PartnerNeedMetrics[];
  unmetNeeds: { need: string; areaCode: string | null; searches: Count; lastSearchedAt: string }[];
  needsWithoutPartner: string[];
}

export interface TimelineEvent {
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

export interface CaseForReferral {
  id: string;
  reference: string;
  title: string;
  contacts: { id: string; reference: string }[];
  people: { id: string; role: string; details: { givenNames?: string; familyNames?: string } }[];
  timeline: TimelineEvent[];
}

export interface Consent {
  id: string;
  contactId: string;
  disclosure: string;
  recipients: string[] | 'any_designated_agency';
  givenAt: string;
  withdrawnAt: string | null;
  expiresAt: string | null;
}

export function useReferrals(filter: { status?: string; overdue?: boolean; caseId?: string }) {
  return useQuery({
    queryKey: ['referrals', filter],
    queryFn: ({ signal }) => api.get<{ items: Referral[] }>('/api/referrals', { status: filter.status, overdue: filter.overdue ? 'true' : undefined, caseId: filter.caseId }, signal).then((r) => r.items),
  });
}

export function useReferralMetrics(enabled: boolean) {
  return useQuery({ queryKey: ['referrals', 'metrics'], enabled, queryFn: ({ signal }) => api.get<ReferralMetrics>('/api/referrals/metrics', undefined, signal) });
}

export function useCaseForReferral(caseId: string | null) {
  return useQuery({ queryKey: ['referrals', 'case', caseId], enabled: !!caseId, queryFn: ({ signal }) => api.get<{ case: CaseForReferral }>(`/api/cases/${caseId}`, undefined, signal).then((r) => r.case) });
}

export const REFERRAL_EVENT_KINDS = ['referral_sent', 'referral_accepted', 'referral_declined', 'referral_outcome', 'referral_reminder', 'referral_escalated', 'referral_warm_transfer', 'referral_link_reissued', 'referral_cancelled', 'referral_email_failed'];

/** Makes a CSV file (RFC 4180 quoting) and starts its download. */
export function downloadCsv(filename: string, rows: (string | number | null)[][]) {
  const csv = rows.map((row) => row.map((cell) => {
    const text = cell === null ? '' : String(cell);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(',')).join('\r\n');
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- partner staff signed in ----------------------------------------------------------------------------------

export interface PartnerReferralItem {
  id: string;
  serviceName: string;
  organizationName: string;
  needs: string[];
  status: Referral['status'];
  outcome: string | null;
  sentAt: string;
  respondBy: string;
  outcomeDueAt: string | null;
  overdue: boolean;
}

export interface PartnerReferralView {
  id: string;
  hotlineName: string;
  serviceName: string;
  needs: string[];
  status: Referral['status'];
  outcome: string | null;
  sentAt: string;
  respondBy: string;
  consentActive: boolean;
  shared: Record<string, string | null> | null;
}

export function usePartnerReferrals() {
  return useQuery({ queryKey: ['partner-referrals'], queryFn: ({ signal }) => api.get<{ items: PartnerReferralItem[] }>('/api/partner/referrals', undefined, signal).then((r) => r.items) });
}

export function usePartnerReferral(id: string | null) {
  return useQuery({ queryKey: ['partner-referrals', id], enabled: !!id, queryFn: ({ signal }) => api.get<{ referral: PartnerReferralView }>(`/api/partner/referrals/${id}`, undefined, signal).then((r) => r.referral) });
}
