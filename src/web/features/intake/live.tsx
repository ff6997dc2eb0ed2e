import { Badge } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { hasPermission, useSession } from '../auth/session.js';
import { contactKey, QUEUE_KEY, type QueueAnswer } from './intakeApi.js';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

interface LiveEvent {
  kind: 'hello' | 'contact.created' | 'contact.updated' | 'contact.message' | 'queue.changed' | 'queue.sla_breached' | 'task.escalated';
  contactId?: string;
  status?: string;
  /** Set on a transfer to a colleague. */
  toUserId?: string;
}

const LiveContext = createContext<LiveStatus>('connecting');

const MAX_BACKOFF_MS = 30_000;

/**
 * One WebSocket per signed-in console. Events carry ids only: each one makes TanStack Query re-read the queue (and
 * the contact it names), so what is shown always passes the server's permission checks. After a lost connection it
 * retries with growing, jittered delays, then re-reads everything it may have missed.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const session = useSession().data;
  const me = useRef<string | null>(null);
  me.current = session?.user?.id ?? null;
  const isSupervisor = useRef(false);
  isSupervisor.current = !!session && hasPermission(session, 'queue.supervise');
  // Breaches that arrive together are told together: one notification per second at most.
  const breaches = useRef<{ ids: string[]; timer: ReturnType<typeof setTimeout> | null }>({ ids: [], timer: null });
  const onBreach = useRef<(contactId: string) => void>(() => undefined);
  onBreach.current = (contactId) => {
    breaches.current.ids.push(contactId);
    if (breaches.current.timer) return;
    breaches.current.timer = setTimeout(() => {
      const ids = breaches.current.ids;
      breaches.current = { ids: [], timer: null };
      const number = ids.length === 1 ? queryClient.getQueryData<QueueAnswer>(QUEUE_KEY)?.items.find((item) => item.id === ids[0])?.number : undefined;
      notifications.show({
        color: 'red',
        autoClose: 15_000,
        title: t('queue.breachAlert.title'),
        message: number ? t('queue.breachAlert.one', { reference: `C-${number}` }) : t('queue.breachAlert.many', { count: ids.length }),
      });
    }, 1000);
  };
  // The socket lives as long as the provider; the handler reads the latest user and translations through a ref.
  const onTransferredToMe = useRef<(contactId: string) => void>(() => undefined);
  onTransferredToMe.current = (contactId) => {
    const number = queryClient.getQueryData<QueueAnswer>(QUEUE_KEY)?.items.find((item) => item.id === contactId)?.number;
    notifications.show({
      id: `transfer-${contactId}`,
      color: 'grape',
      autoClose: 10_000,
      message: number ? t('transfer.liveToYou', { reference: `C-${number}` }) : t('transfer.liveToYouGeneric'),
    });
  };

  useEffect(() => {
    let socket: WebSocket | null = null;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    let everOpened = false;

    const connect = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(`${scheme}://${window.location.host}/api/live`);
      socket.onopen = () => {
        attempt = 0;
        setStatus('live');
        // Whatever happened while we were away: read it again.
        if (everOpened) void queryClient.invalidateQueries({ queryKey: QUEUE_KEY });
        everOpened = true;
      };
      socket.onmessage = (message) => {
        let event: LiveEvent;
        try {
          event = JSON.parse(String(message.data)) as LiveEvent;
        } catch {
          return;
        }
        if (event.kind === 'hello') return;
        if (event.kind === 'queue.changed' && event.contactId && me.current && event.toUserId === me.current) onTransferredToMe.current(event.contactId);
        if (event.kind === 'queue.sla_breached' && event.contactId && isSupervisor.current) onBreach.current(event.contactId);
        void queryClient.invalidateQueries({ queryKey: QUEUE_KEY });
        if (event.contactId) void queryClient.invalidateQueries({ queryKey: contactKey(event.contactId) });
      };
      socket.onclose = () => {
        socket = null;
        if (stopped) return;
        setStatus('reconnecting');
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        attempt += 1;
        timer = setTimeout(connect, delay);
      };
    };
    connect();

    return () => {
      stopped = true;
      if (breaches.current.timer) clearTimeout(breaches.current.timer);
      if (timer) clearTimeout(timer);
      socket?.close();
    };
  }, [queryClient]);

  return <LiveContext.Provider value={status}>{children}</LiveContext.Provider>;
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext);
}

/** A small badge: "Live" when updates stream in, "Reconnecting…" otherwise (words, not only a coloured dot). */
export function LiveIndicator() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  const color = status === 'live' ? 'green' : status === 'reconnecting' ? 'orange' : 'gray';
  return (
    <Badge
      color={color}
      variant="light"
      size="lg"
      role="status"
      data-testid="live-indicator"
      data-status={status}
      leftSection={<span aria-hidden className={`live-dot live-dot-${status}`} />}
      title={t(`live.hint.${status}`)}
    >
      {t(`live.${status}`)}
    </Badge>
  );
}
