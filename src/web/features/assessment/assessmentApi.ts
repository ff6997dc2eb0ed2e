import { useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../api.js';
import type { AssessmentResult } from '../../../shared/assessment/evaluate.js';
import type { InstrumentShape } from '../../../shared/assessment/instrument.schema.js';
import type { IndicatorLevel, LevelsByType, LocalizedText, TraffickingType } from '../../../shared/assessment/vocabulary.js';
import { contactKey } from '../intake/intakeApi.js';

export type { AssessmentResult, IndicatorLevel, LevelsByType, LocalizedText, TraffickingType };
export type Lang = keyof LocalizedText;
export type Person = { age?: number; ageGroup?: 'adult' | 'minor' | 'unknown' };

export interface ProtocolStep { id: string; kind: 'check' | 'script' | 'decision'; text: LocalizedText; script?: LocalizedText; options?: { id: string; label: LocalizedText }[] }
export interface TriggerReason { kind: 'request_type' | 'level' | 'flag' | 'without_flags'; requestType?: string; type?: string; level?: string; atLeast?: string; flag?: string; flags?: string[] }
export interface ProtocolView {
  id: string;
  version: number;
  priority: number;
  title: LocalizedText;
  summary: LocalizedText;
  steps: ProtocolStep[];
  matchedClauses: { clauseIndex: number; reasons: TriggerReason[] }[];
}
export interface PlannedTask { taskKey: string; title: LocalizedText; ownerRole: 'advocate' | 'supervisor'; dueAt: string; dueWithinMinutes: number; escalateToSupervisorWhenOverdue: boolean }
export interface RequiredReport { id: string; report: string; agencyKind: string; withinHours: number }
export interface Preview { result: AssessmentResult; protocols: ProtocolView[]; tasks: PlannedTask[]; requiredReports: RequiredReport[] }

export interface Override { type: TraffickingType; computedLevel: IndicatorLevel; previousLevel: IndicatorLevel; level: IndicatorLevel; direction: 'raised' | 'lowered'; reason: string; overriddenBy: string; overriddenAt: string }
export interface AssessmentView {
  id: string;
  form: 'short' | 'full';
  person: Person;
  ageGroup: 'adult' | 'minor' | 'unknown';
  answers: Record<string, string>;
  levels: LevelsByType;
  finalLevels: LevelsByType;
  overrides: Override[];
  result: AssessmentResult;
  assessedBy: string | null;
  assessedAt: string;
}
export interface RecordedAssessment { assessment: AssessmentView; protocols: ProtocolView[]; createdTaskIds: string[]; requiredReports: RequiredReport[] }

export interface Task {
  id: string;
  contactId: string;
  contactReference?: string;
  taskKey: string;
  protocolId: string;
  title: LocalizedText;
  ownerRole: 'advocate' | 'supervisor';
  ownerId: string | null;
  dueAt: string;
  escalateWhenOverdue: boolean;
  status: 'open' | 'done' | 'skipped';
  skipReason: string | null;
  escalatedAt: string | null;
  completedAt: string | null;
}

export interface Consent {
  id: string;
  givenBy: string;
  disclosure: string;
  recipients: 'any_designated_agency' | string[];
  givenAt: string;
  method: string;
  scopeNote: string | null;
  expiresAt: string | null;
  withdrawnAt: string | null;
}

export interface Report {
  id: string;
  contactId: string;
  contactReference?: string;
  agencyId: string;
  report: string;
  status: 'requested' | 'approved' | 'sent' | 'refused';
  basis: string;
  consentId: string | null;
  exception: { basis: string; citation: string | null; note: string | null } | null;
  needsApproval: boolean;
  requestedBy: string;
  requestedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  refusedAt: string | null;
  refusalReason: string | null;
  sentAt: string | null;
}

export interface Agency { id: string; name: LocalizedText; kind: string; receives: string[] }
export interface Policy { agencyKind: string; requiresConsent: boolean; consentExceptions: string[]; acceptedConsentGivers: string[]; supervisorApproval: 'always' | 'when_without_consent' | 'never' }
export interface Jurisdiction { id: string; version: number; title: LocalizedText; summary: LocalizedText; agencies: Agency[]; policies: Policy[] }

// Keys under the contact's key are re-read on every live event about that contact (a supervisor approving, an
// escalation); the assessment itself changes only through this page, so it is kept apart (each read is audited).
export const assessmentKey = (contactId: string) => ['assessment', contactId] as const;
export const tasksKey = (contactId: string) => [...contactKey(contactId), 'tasks'] as const;
export const reportsKey = (contactId: string) => [...contactKey(contactId), 'reports'] as const;
export const consentsKey = (contactId: string) => ['assessment-consents', contactId] as const;
/** Under the queue key, so the live provider re-reads the alert lists on every event. */
export const ALERT_TASKS_KEY = ['queue', 'alerts', 'tasks'] as const;
export const APPROVALS_KEY = ['queue', 'alerts', 'reports'] as const;

const path = (contactId: string, rest: string) => `/api/contacts/${encodeURIComponent(contactId)}/${rest}`;

export function useInstrument() {
  return useQuery({ queryKey: ['assessment-instrument'], queryFn: () => api.get<{ instrument: InstrumentShape }>('/api/assessment/instrument'), staleTime: 10 * 60_000, select: (d) => d.instrument });
}

export function useJurisdiction() {
  return useQuery({ queryKey: ['assessment-jurisdiction'], queryFn: () => api.get<{ jurisdiction: Jurisdiction }>('/api/assessment/jurisdiction'), staleTime: 10 * 60_000, select: (d) => d.jurisdiction });
}

export function useAssessments(contactId: string) {
  return useQuery({ queryKey: assessmentKey(contactId), queryFn: () => api.get<{ latest: AssessmentView | null; history: AssessmentView[] }>(path(contactId, 'assessment')) });
}

export function useContactTasks(contactId: string) {
  return useQuery({ queryKey: tasksKey(contactId), queryFn: () => api.get<{ items: Task[] }>(path(contactId, 'tasks')), select: (d) => d.items });
}

export function useConsents(contactId: string) {
  return useQuery({ queryKey: consentsKey(contactId), queryFn: () => api.get<{ items: Consent[] }>(path(contactId, 'consents')), select: (d) => d.items });
}

export function useReports(contactId: string) {
  return useQuery({ queryKey: reportsKey(contactId), queryFn: () => api.get<{ items: Report[] }>(path(contactId, 'reports')), select: (d) => d.items });
}

export const contactPath = path;

/** The stable refusal code of a report request (`error.reason`), if the error is one. */
export function refusalReason(error: unknown): string | null {
  return isApiError(error) && typeof error.body.reason === 'string' ? error.body.reason : null;
}

export function isOverdue(task: Pick<Task, 'status' | 'dueAt'>, now: number): boolean {
  return task.status === 'open' && Date.parse(task.dueAt) <= now;
}

export function localize(text: LocalizedText | undefined, lang: string): string {
  if (!text) return '';
  return text[(['en', 'es', 'fr'].includes(lang) ? lang : 'en') as Lang];
}
