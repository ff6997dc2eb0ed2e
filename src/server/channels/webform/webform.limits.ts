/** Limits of the public tip form, per server (a reverse proxy should limit too). Mutable so tests can lower them. */

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
};

export const WEBFORM_LIMITS = {
  /**
   * Tips (stored or refused as spam) per client address per hour. Shelters, schools and mobile carriers put many
   * people behind one address, so it is generous; a person who reaches it is told to wait, with their text kept.
   */
  tipsPerHour: positive(process.env.CATALYST_WEBFORM_TIPS_PER_HOUR, 20),
  /** Follow-up attempts per client address per 15 minutes (the per-code lockout is separate, in the database). */
  followUpsPer15Min: positive(process.env.CATALYST_WEBFORM_FOLLOW_UPS_PER_15_MIN, 20),
  /** The flood guard: POSTs per client address per minute, counted before any body is read. */
  postsPerMinute: positive(process.env.CATALYST_WEBFORM_POSTS_PER_MINUTE, 60),
};

/** Where the quick-exit button leaves to: a neutral site, configurable per install. Only http(s) URLs are accepted. */
export function exitUrl(): string {
  const configured = process.env.CATALYST_WEBFORM_EXIT_URL;
  if (configured) {
    try {
      const url = new URL(configured);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
    } catch {
      // fall back to the default below
    }
  }
  return 'https://www.wikipedia.org/';
}

/** Fixed-window counters per key; `max` is read on every check so a changed limit applies at once. */
export class WindowCounter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(private max: () => number, private windowMs: number) {}

  hit(key: string, now = Date.now()): boolean {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.windows.clear();
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.max();
  }
}
