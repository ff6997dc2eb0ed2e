import pg from 'pg';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { DbOrTx } from '../../db/db.js';

export const CHAT_CHANNEL = 'catalyst_chat';

type Direction = 'inbound' | 'outbound';

/**
 * What travels between servers about one chat session: ids and states only, never a message body or a name.
 * A server that receives `message` reads the row from the database and decrypts it itself.
 */
export type ChatEvent =
  | { k: 'message'; s: string; h: string; c: string; id: string; d: Direction }
  | { k: 'typing'; s: string; h: string; w: 'visitor' | 'advocate'; on: boolean }
  | { k: 'status'; s: string; h: string; d: Direction; status: 'delivered' | 'read'; upto: string }
  | { k: 'presence'; s: string; h: string; on: boolean }
  | { k: 'joined'; s: string; h: string }
  | { k: 'ended'; s: string; h: string; by: 'visitor' | 'advocate' };

/** Sends an event to every server. Inside a transaction it is delivered only if the transaction commits. */
export async function notifyChat(db: DbOrTx, event: ChatEvent) {
  await sql`select pg_notify(${CHAT_CHANNEL}, ${JSON.stringify(event)})`.execute(db);
}

type Listener = (event: ChatEvent) => void;

/**
 * One LISTEN connection per server for chat traffic, fanned out to the sockets of each chat session on this server.
 * A visitor on server A and an advocate on server B meet here: both servers hear every event. Reconnects after a loss
 * (clients then re-read what they missed from the database when they resume or re-join).
 */
export class ChatHub {
  private client: pg.Client | null = null;
  private listeners = new Map<string, Set<Listener>>();
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(private connectionString: string, private log: Logger) {}

  async start() {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'catalyst-chat' });
    client.on('notification', (message) => {
      if (message.channel !== CHAT_CHANNEL || !message.payload) return;
      let event: ChatEvent;
      try {
        event = JSON.parse(message.payload) as ChatEvent;
      } catch {
        this.log.warn('ignoring a malformed chat event');
        return;
      }
      for (const listener of this.listeners.get(event.s) ?? []) {
        try {
          listener(event);
        } catch (error) {
          this.log.error({ err: error }, 'chat listener failed');
        }
      }
    });
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'chat LISTEN connection lost; reconnecting');
      this.client = null;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`listen ${CHAT_CHANNEL}`);
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

  subscribe(sessionId: string, listener: Listener): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) this.listeners.set(sessionId, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0 && this.listeners.get(sessionId) === set) this.listeners.delete(sessionId);
    };
  }

  /** How many local sockets follow a session (tests and the presence logic). */
  localCount(sessionId: string) {
    return this.listeners.get(sessionId)?.size ?? 0;
  }

  async close() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }
}
