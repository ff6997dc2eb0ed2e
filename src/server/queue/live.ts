import pg from 'pg';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { DbOrTx } from '../db/db.js';

export const LIVE_CHANNEL = 'catalyst_live';

/** What travels between servers and to consoles: ids and states only, never personal data. */
export interface LiveEvent {
  hotlineId: string;
  kind: 'contact.created' | 'contact.updated' | 'contact.message' | 'queue.changed' | 'queue.sla_breached' | 'task.escalated';
  contactId?: string;
  status?: string;
  /** A transfer: to whom (a user id or the supervisors), so the receiver's console can tell them. */
  toUserId?: string;
  toRole?: 'supervisor';
  at: string;
}

/** Queues an event inside a transaction: PostgreSQL delivers it to every listening server only if it commits. */
export async function notifyLive(tx: DbOrTx, event: Omit<LiveEvent, 'at'>) {
  await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify({ ...event, at: new Date().toISOString() })})`.execute(tx);
}

type Listener = (event: LiveEvent) => void;

/**
 * One LISTEN connection per server; fans events out to the consoles of each hotline. Several servers sharing one
 * database each hear every event, so a console sees changes made through any of them. Reconnects after a failure.
 */
export class LiveHub {
  private client: pg.Client | null = null;
  private listeners = new Map<string, Set<Listener>>();
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(private connectionString: string, private log: Logger) {}

  async start() {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'catalyst-live' });
    client.on('notification', (message) => {
      if (message.channel !== LIVE_CHANNEL || !message.payload) return;
      try {
        const event = JSON.parse(message.payload) as LiveEvent;
        for (const listener of this.listeners.get(event.hotlineId) ?? []) listener(event);
      } catch (error) {
        this.log.warn({ err: error }, 'ignoring a malformed live event');
      }
    });
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'live connection lost; reconnecting');
      this.client = null;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`listen ${LIVE_CHANNEL}`);
    this.client = client;
  }

  private scheduleReconnect() {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.start().catch(() => this.scheduleReconnect());
    }, 1000);
    this.retry.unref();
  }

  subscribe(hotlineId: string, listener: Listener): () => void {
    let set = this.listeners.get(hotlineId);
    if (!set) this.listeners.set(hotlineId, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  async close() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }
}
