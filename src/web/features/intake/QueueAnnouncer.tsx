import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueItem } from './intakeApi.js';
import { isOverdue } from './QueueTable.js';

const BREACH_QUIET_MS = 20_000;

/**
 * Screen-reader announcements: new contacts politely; contacts passing their answer target assertively, but grouped
 * and at most every 20 seconds, so a bad hour does not drown out everything else.
 */
export function QueueAnnouncer({ items, now, clockOffsetMs }: { items: QueueItem[] | undefined; now: number; clockOffsetMs: number }) {
  const { t } = useTranslation();
  const [polite, setPolite] = useState('');
  const [assertive, setAssertive] = useState('');
  const known = useRef<Set<string> | null>(null);
  const breached = useRef<Set<string> | null>(null);
  const pending = useRef<string[]>([]);
  const lastBreachAt = useRef(0);

  useEffect(() => {
    if (!items) return;
    const waiting = items.filter((item) => item.status === 'waiting');
    if (known.current === null) {
      known.current = new Set(waiting.map((item) => item.id));
      return;
    }
    const fresh = waiting.filter((item) => !known.current!.has(item.id));
    for (const item of waiting) known.current.add(item.id);
    if (fresh.length === 1) {
      const item = fresh[0];
      setPolite(t('queue.announce.new', { channel: t(`channel.${item.channel}`, { defaultValue: item.channel }), reference: `C-${item.number}` }));
    } else if (fresh.length > 1) {
      setPolite(t('queue.announce.newMany', { count: fresh.length }));
    }
  }, [items, t]);

  useEffect(() => {
    if (!items) return;
    const serverNow = now + clockOffsetMs;
    const overdue = items.filter((item) => item.status === 'waiting' && isOverdue(item, serverNow));
    if (breached.current === null) {
      // Already overdue when the page opened: the table shows it; no alarm for old news.
      breached.current = new Set(overdue.map((item) => item.id));
      return;
    }
    for (const item of overdue) {
      if (!breached.current.has(item.id)) {
        breached.current.add(item.id);
        pending.current.push(`C-${item.number}`);
      }
    }
    if (pending.current.length && Date.now() - lastBreachAt.current >= BREACH_QUIET_MS) {
      const refs = pending.current;
      pending.current = [];
      lastBreachAt.current = Date.now();
      setAssertive(refs.length === 1 ? t('queue.announce.breach', { reference: refs[0] }) : t('queue.announce.breachMany', { count: refs.length }));
    }
  }, [items, now, clockOffsetMs, t]);

  return (
    <>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="queue-announce-polite">
        {polite}
      </div>
      <div className="visually-hidden" aria-live="assertive" aria-atomic="true" data-testid="queue-announce-assertive">
        {assertive}
      </div>
    </>
  );
}
