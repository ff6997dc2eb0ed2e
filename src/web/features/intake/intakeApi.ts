import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, isApiError } from '../../api.js';
import type { ContactForm, LocalizedText } from '../../../shared/contact-form.js';
import type { SlaState } from '../../../shared/sla.js';
import type { Availability, ContactFlag } from './vocabulary.js';

export type { ContactForm, LocalizedText };
export type FormField = ContactForm['fields'][number];
export type Flags = Partial<Record<ContactFlag, boolean>>;

export interface QueueItem {
  id: string;
  number: number;
  channel: string;
  status: 'waiting' | 'in_progress' | 'wrap_up' | 'closed';
  priority: number;
  receivedAt: string;
  answeredAt: string | null;
  waitSeconds: number;
  slaDueAt: string | null;
  slaState: SlaState;
  language: string | null;
  requestType: string | null;
  flags: Flags | null;
  team: string | null;
  assignedTo: { id: string; name: string | null } | null;
  matchesMe: boolean;
  /** The latest transfer while it still says where the contact is; the note itself is read on the contact. */
  transfer: QueueTransfer | null;
}

export interface QueueTransfer {
  at: string;
  from: { id: string; name: string | null } | null;
  toUserId: string | null;
  toRole: 'supervisor' | null;
  hasNote: boolean;
}

export interface ContactTransfer {
  id: string;
  at: string;
  from: { id: string; name: string | null } | null;
  to: { id: string; name: string | null } | null;
  toRole: 'supervisor' | null;
  note: string | null;
}

export interface QueueAnswer {
  items: QueueItem[];
  serverTime: string;
  /** Server clock minus this browser's clock when the answer arrived, so timers agree with the server. */
  clockOffsetMs: number;
}

export interface ContactMessage {
  id: string;
  contactId: string;
  direction: 'inbound' | 'outbound';
  body: string | null;
  authorId: string | null;
  status: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** Files that came with the message (names only; the download is a separate, audited read). */
  attachments?: MessageAttachment[];
  /** MMS / WhatsApp files still being fetched from the provider, and those it could not give (with the reason). */
  pendingFiles?: number;
  failedFiles?: { reason: string }[];
}

export interface MessageAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

export interface Contact {
  id: string;
  number: number;
  reference: string;
  threadId: string;
  channel: string;
  direction: string;
  status: QueueItem['status'];
  priority: number;
  receivedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  slaDueAt: string | null;
  assignedTo: string | null;
  handledBy: string | null;
  team: string | null;
  language: string | null;
  interpreterUsed: boolean;
  signalerType: string | null;
  requestType: string | null;
  heardAbout: string | null;
  areaCode: string | null;
  flags: Flags | null;
  sensitivity: 'normal' | 'restricted';
  summary: string | null;
  notes: string | null;
  formVersion: number | null;
  formData: Record<string, unknown>;
  correspondent: string | null;
  subject: string | null;
  followUpCode: string | null;
  version: number;
  updatedAt: string;
  messages: ContactMessage[];
  /** Newest first. */
  transfers: ContactTransfer[];
}

export interface Area {
  code: string;
  name: LocalizedText;
  parent?: string;
}

export interface ContactFormAnswer {
  version: number;
  form: ContactForm;
  areas: Area[];
}

export interface Wall {
  waiting: number;
  longestWaitSeconds: number;
  staff: { available: number; busy: number; onBreak: number };
  today: { offered: number; answeredWithinTarget: number; serviceLevel: number | null };
}

export const QUEUE_KEY = ['queue'] as const;
export const WALL_KEY = ['queue', 'wall'] as const;
export const contactKey = (id: string) => ['contact', id] as const;
export const CONTACT_FORM_KEY = ['contact-form'] as const;

export function useQueue(enabled = true) {
  return useQuery({
    queryKey: QUEUE_KEY,
    queryFn: async ({ signal }): Promise<QueueAnswer> => {
      const answer = await api.get<{ items: QueueItem[]; serverTime: string }>('/api/queue', undefined, signal);
      return { ...answer, clockOffsetMs: new Date(answer.serverTime).getTime() - Date.now() };
    },
    // Live events refresh it within a second; the interval only catches amber states and a silent socket.
    refetchInterval: 30_000,
    enabled,
  });
}

export function useWall(enabled = true) {
  return useQuery({
    queryKey: WALL_KEY,
    queryFn: ({ signal }) => api.get<Wall>('/api/queue/wall', undefined, signal),
    refetchInterval: 15_000,
    enabled,
  });
}

export function useContact(id: string) {
  return useQuery({
    queryKey: contactKey(id),
    queryFn: ({ signal }) => api.get<{ contact: Contact }>(`/api/contacts/${encodeURIComponent(id)}`, undefined, signal),
    select: (data) => data.contact,
    // Every read is audited: do not re-read just because the window regained focus.
    refetchOnWindowFocus: false,
  });
}

export function useContactForm() {
  return useQuery({
    queryKey: CONTACT_FORM_KEY,
    queryFn: ({ signal }) => api.get<ContactFormAnswer>('/api/contact-form', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/** Take, release, transfer: each answers `{ contactId }`; the queue re-reads itself afterwards. */
export function useQueueAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { action: 'claim' | 'release'; id: string } | { action: 'next' } | { action: 'transfer'; id: string; body: TransferTarget }) => {
      if (input.action === 'next') return api.post<{ contactId: string | null }>('/api/queue/next');
      if (input.action === 'transfer') return api.post<{ contactId: string }>(`/api/queue/${encodeURIComponent(input.id)}/transfer`, input.body);
      return api.post<{ contactId: string }>(`/api/queue/${encodeURIComponent(input.id)}/${input.action}`);
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: QUEUE_KEY });
    },
  });
}

export interface Colleague {
  id: string;
  name: string;
  isSupervisor: boolean;
  availability: string;
  languages: string[];
}

/** Who a contact can be handed to: active advocates and supervisors (anyone who may transfer may list them). */
export function useColleagues(enabled = true) {
  return useQuery({
    queryKey: ['queue', 'colleagues'] as const,
    queryFn: ({ signal }) => api.get<{ items: Colleague[] }>('/api/queue/colleagues', undefined, signal),
    select: (data) => data.items,
    staleTime: 30_000,
    enabled,
  });
}

export type TransferTarget = { toUserId: string; note?: string } | { toRole: 'supervisor'; note?: string };

const AVAILABILITY_KEY = ['me', 'availability'] as const;
const AVAILABILITY_STORAGE = 'catalyst.availability';

function storedAvailability(userId: string): Availability | null {
  try {
    const raw = window.sessionStorage.getItem(`${AVAILABILITY_STORAGE}.${userId}`);
    return raw === 'available' || raw === 'busy' || raw === 'break' || raw === 'offline' ? raw : null;
  } catch {
    return null;
  }
}

/**
 * My availability. The server does not tell us the current value (see docs/console.md), so this remembers what was
 * last chosen in this browser tab; a new sign-in starts as "offline", the server's default.
 */
export function useAvailability(userId: string) {
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: [...AVAILABILITY_KEY, userId],
    queryFn: () => storedAvailability(userId) ?? 'offline',
    staleTime: Infinity,
  });
  const change = useMutation({
    mutationFn: (availability: Availability) => api.put<{ availability: Availability }>('/api/me/availability', { availability }),
    onSuccess: (answer) => {
      try {
        window.sessionStorage.setItem(`${AVAILABILITY_STORAGE}.${userId}`, answer.availability);
      } catch {
        // storage refused: the choice is still saved on the server
      }
      queryClient.setQueryData([...AVAILABILITY_KEY, userId], answer.availability);
      void queryClient.invalidateQueries({ queryKey: WALL_KEY });
    },
  });
  return { value: (current.data ?? 'offline') as Availability, change };
}

/** The record someone else saved, carried by a 409 stale_version answer. */
export function staleCurrent(error: unknown): Contact | null {
  if (!isApiError(error, 'stale_version')) return null;
  const current = (error as ApiError).body.current;
  return current && typeof current === 'object' ? (current as Contact) : null;
}

/** A 404 from an endpoint colleagues are still building: the route itself does not exist yet. */
export function isMissingRoute(error: unknown): boolean {
  return isApiError(error) && error.status === 404 && /route/i.test(error.message);
}

export function localized(text: LocalizedText | undefined, locale: string): string {
  if (!text) return '';
  return (text as Record<string, string | undefined>)[locale] ?? text.en;
}
