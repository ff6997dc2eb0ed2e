/** Small in-memory limits for the public side (per server; a reverse proxy should limit too). */

/** Allows `max` events per `windowMs` per key, in fixed windows; forgets idle keys. */
export class WindowLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(private max: number, private windowMs: number) {}

  allow(key: string, now = Date.now()) {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.windows.clear();
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.max;
  }
}

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
};

/**
 * New chat sessions per client address per minute, and visitor socket connections per client address per minute.
 * Shelters and schools share one address, so the defaults are generous; load tests raise them.
 */
export const CHAT_LIMITS = {
  sessionsPerMinute: positive(process.env.CATALYST_CHAT_SESSIONS_PER_MINUTE, 60),
  connectionsPerMinute: positive(process.env.CATALYST_CHAT_CONNECTIONS_PER_MINUTE, 600),
  /** Messages per visitor socket per 10 seconds: a person types far slower; a script is told to slow down. */
  messagesPer10s: 20,
  /** Typing indicators are forwarded at most this often per socket. */
  typingEveryMs: 400,
  /** Frames that do not parse before the socket is closed (1008). */
  maxBadFrames: 50,
};
