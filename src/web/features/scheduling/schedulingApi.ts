import type { z } from 'zod';
import type { SchedulingSettings, staffContractBody } from '../../../shared/api/scheduling.js';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';

export interface Gap { kind: string; skill: string | null; from: string; to: string; fromInterval: number; toInterval: number; shortBy: number; shortPersonHours: number; reasons: string[] }
export interface RosterShift { shiftId: string; patternId: string; start: string; end: string; seats: number; staff: { userId: string; name: string }[] }
export interface Roster {
  id: string;
  weekStart: string;
  timeZone: string;
  status: 'draft' | 'published' | 'superseded';
  version: number;
  createdAt: string;
  publishedAt: string | null;
  solver: { wallSeconds?: number; solveSeconds?: number };
  totals: { requiredPersonHours: number; rosteredPaidHours: number; shortPersonHours: number; filledSeats: number; seats: number };
  gaps: Gap[];
  unfilledSeats: number;
  contractShortfalls: { userId: string; name: string; shortHours: number }[];
  staff: { userId: string; name: string; shifts: number; paidHours: number; nightShifts: number; weekendShifts: number }[];
  shifts: RosterShift[];
  heatmap: { intervalMinutes: number; required: number[]; rostered: number[]; isGap: boolean[] };
}
export interface RosterSummary { id: string; weekStart: string; status: string; version: number; createdAt: string; publishedAt: string | null }
export interface ChannelForecast { id: string; forecast: number[]; weeklyTotals: number[]; trendPerWeek: number; dayShares: number[] }
export interface ForecastView {
  forecast: { intervalMinutes: number; weekStart: string; weeks: number; channels: ChannelForecast[] };
  backtest: { weekStart: string; weeks: number; wape: number | null; channels: { id: string; actual: number[]; forecast: number[]; wape: number | null }[] } | null;
  historyStart: string;
  historyWeeks: number;
}
export interface CurvePoint { staff: number; serviceLevel: number; asaSeconds: number | null; occupancy: number; abandonment: number | null }
export interface CalculatorResult {
  channels: { id: string; kind: string; contactsPerWeek: number; peakStaff: number; peakCurve: CurvePoint[] | null }[];
  requiredStaffHoursPerWeek: number;
  paidHoursPerWeek: number;
  fte: number;
  annualCost: number | null;
  currency: string | null;
  peakScheduled: number;
}
export interface MyShift { rosterId: string; shiftId: string; patternId: string; weekStart: string; start: string; end: string }
export interface ScheduleRequest {
  id: string;
  kind: 'handover' | 'exchange' | 'leave';
  status: 'pending' | 'approved' | 'rejected';
  rosterId: string | null;
  requestedBy: { userId: string; name: string };
  details: { kind: string; from?: string; to?: string; shiftId?: string; toUserId?: string; withUserId?: string; withShiftId?: string; leaveKind?: string; staffId?: string; enteredBy?: string };
  /** The hotline's zone, for showing shift times. */
  timeZone: string;
  shift: { start: string; end: string } | null;
  withShift: { start: string; end: string } | null;
  colleague: { userId: string; name: string } | null;
  /** `rules`: codes of the wellness rules the change would break (absent on requests checked before they were recorded). */
  check: { isAllowed: boolean; newViolations: string[]; rules?: string[]; coverageLosses: number } | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface RosterTeam {
  rosterId: string;
  weekStart: string;
  timeZone: string;
  colleagues: { userId: string; name: string; shifts: { shiftId: string; start: string; end: string }[] }[];
}

export interface SettingsView { settings: SchedulingSettings; version: number }
export interface ScheduleEvent { id: string; date: string; to: string | null; factor: number; label: string; channels: string[] | null }
export type StaffContract = z.input<typeof staffContractBody>;
export interface StaffMember {
  userId: string;
  name: string;
  roles: string[];
  hasContract: boolean;
  contract: StaffContract & { supervisor?: 'none' | 'onCall' | 'full' };
  supervisor: 'none' | 'onCall' | 'full';
}

export const schedulingApi = {
  settings: (signal?: AbortSignal) => api.get<SettingsView>('/api/scheduling/settings', undefined, signal),
  saveSettings: (version: number, settings: SchedulingSettings) => api.put<SettingsView>('/api/scheduling/settings', { version, settings }),
  events: (signal?: AbortSignal) => api.get<{ events: ScheduleEvent[] }>('/api/scheduling/events', undefined, signal),
  addEvent: (body: unknown) => api.post<ScheduleEvent>('/api/scheduling/events', body),
  deleteEvent: (id: string) => api.delete<void>(`/api/scheduling/events/${id}`),
  staff: (signal?: AbortSignal) => api.get<{ staff: StaffMember[] }>('/api/scheduling/staff', undefined, signal),
  saveContract: (userId: string, contract: StaffContract) => api.put<void>(`/api/scheduling/staff/${userId}`, contract),
  recordAbsence: (rosterId: string, body: { userId: string; from: string; to: string }) => api.post<{ roster: Roster; changes: unknown[]; othersAffected: number }>(`/api/scheduling/rosters/${rosterId}/absences`, body),
  forecast: (weeks: number, signal?: AbortSignal) => api.get<ForecastView>('/api/scheduling/forecast', { weeks }, signal),
  calculator: (body: unknown) => api.post<CalculatorResult>('/api/scheduling/calculator', body),
  rosters: (signal?: AbortSignal) => api.get<{ rosters: RosterSummary[] }>('/api/scheduling/rosters', undefined, signal),
  roster: (id: string, signal?: AbortSignal) => api.get<Roster>(`/api/scheduling/rosters/${id}`, undefined, signal),
  generate: (weekStart?: string) => api.post<Roster>('/api/scheduling/rosters', weekStart ? { weekStart } : {}),
  publish: (id: string, version: number) => api.post<Roster>(`/api/scheduling/rosters/${id}/publish`, { version }),
  team: (rosterId: string, signal?: AbortSignal) => api.get<RosterTeam>(`/api/scheduling/rosters/${rosterId}/team`, undefined, signal),
  myShifts: (signal?: AbortSignal) => api.get<{ timeZone: string; hasCalendarFeed: boolean; shifts: MyShift[] }>('/api/scheduling/my-shifts', undefined, signal),
  calendarToken: () => api.post<{ path: string }>('/api/scheduling/calendar-token'),
  requests: (signal?: AbortSignal) => api.get<{ requests: ScheduleRequest[] }>('/api/scheduling/requests', undefined, signal),
  createRequest: (body: unknown) => api.post<ScheduleRequest>('/api/scheduling/requests', body),
  decide: (id: string, approve: boolean) => api.post<ScheduleRequest>(`/api/scheduling/requests/${id}/decision`, { approve }),
};

/** A CSV file from rows; values with commas, quotes or line breaks are quoted (RFC 4180). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** "Mon 07:30" style label of a half-hour of the week, in the reader's language. */
export function slotLabel(t: (key: string) => string, interval: number, intervalMinutes = 30): string {
  const minute = interval * intervalMinutes;
  const day = Math.floor(minute / 1440) % 7;
  const m = minute % 1440;
  return `${t(`scheduling.days.${DAY_KEYS[day]}`)} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * A staffing channel's display name: the name a supervisor gave it in the settings, else the built-in label of the
 * default ids (voice, chat, written), else its id. Supervisors read settings anyway; others get labels or ids.
 */
export function useChannelName(): (id: string) => string {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: ['scheduling', 'settings'], queryFn: ({ signal }) => schedulingApi.settings(signal), staleTime: 60_000, retry: false });
  return (id: string) => settings.data?.settings.channels.find((c) => c.model.id === id)?.model.name || t(`scheduling.channel.${id}`, { defaultValue: id });
}
