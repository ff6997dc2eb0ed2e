import type { AppContext } from '../context.js';

/**
 * The life cycle shared by the channels' background senders and fetchers (SMS outbox, email outbox, media fetcher):
 * `kick` tries one job now or after a delay, a sweep every `sweepMs` kicks what is due (left by a crash, a restart or
 * another server), `stop` cancels the timers and waits for the attempts in flight. Each subclass owns its table: which
 * jobs are due (`dueIds`) and one attempt (`attempt`, which claims the row with a lease so servers never race).
 * Failures are logged by code only: a job's content never reaches a log.
 */
export abstract class RetryingWorker {
  private timer: NodeJS.Timeout | null = null;
  private pending = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(protected ctx: AppContext, private readonly name: string, private readonly sweepMs: number) {}

  /** Ids of the jobs due now (not done, not leased), oldest first. */
  protected abstract dueIds(): Promise<string[]>;
  /** One attempt at one job; does nothing when the job is not due or another server holds it. */
  abstract attempt(id: string): Promise<void>;

  start() {
    this.timer = setInterval(() => void this.sweep().catch((error) => this.ctx.log.warn({ code: codeOf(error) }, `${this.name} sweep failed`)), this.sweepMs);
    this.timer.unref();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const t of this.pending) clearTimeout(t);
    await Promise.allSettled([...this.inFlight]);
  }

  kick(id: string, delayMs = 0) {
    if (this.stopped) return;
    const run = () => {
      const p = this.attempt(id)
        .catch((error) => this.ctx.log.warn({ code: codeOf(error), id }, `${this.name} attempt failed`))
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    };
    if (delayMs <= 0) return run();
    const t = setTimeout(() => {
      this.pending.delete(t);
      run();
    }, delayMs);
    t.unref();
    this.pending.add(t);
  }

  async sweep() {
    for (const id of await this.dueIds()) this.kick(id);
  }
}

const codeOf = (error: unknown) => (error as { code?: string } | null)?.code ?? (error as Error | null)?.name ?? 'unknown';
