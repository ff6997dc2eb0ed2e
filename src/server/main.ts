import v8 from 'node:v8';
import type { Config } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { buildApp } from './http/app.js';
import { createLogger } from './log.js';
import { openRuntime } from './runtime.js';
import { seedDemo, type DemoLogin } from './synthetic/demo.js';
import { startAuditSealer } from './audit/audit.js';
import { LiveHub } from './queue/live.js';
import { startEscalationPoller } from './assessment/escalation.js';
import { startSlaBreachPoller } from './queue/sla-breach.js';
import { startReferralPoller } from './referrals/jobs.js';
import { startLinkEmailPoller } from './referrals/link-email.js';
import { startReportPoller } from './metrics/reports/scheduler.js';
import { startConfiguredSmtpListener, type SmtpListener } from './channels/email/smtp-listener.js';
import { warmUpHighs } from './metrics/attacker.js';

/** The listen backlog of the HTTP server (see its use in startServer). */
export const LISTEN_BACKLOG = 4096;

/** The composition root: config -> database -> migrations -> demo seed (first start) -> app -> listen. */
export async function startServer(config: Config) {
  // HiGHS (WebAssembly: the suppression audit, the roster solver) is compiled fast first and optimised in the
  // background at once, instead of function by function as it gets hot: measured, a suppressed dashboard view took
  // 230–540 ms for its first ~8 requests and 50 ms after (docs/metrics.md, Benchmark). Set before anything compiles it.
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
  const log = createLogger(config.logLevel);
  const runtime = await openRuntime(config, log);
  const { ctx } = runtime;
  let closing: Promise<void> | undefined;
  let stopSealer: (() => Promise<void>) | undefined;
  let stopEscalations: (() => Promise<void>) | undefined;
  let stopSlaBreaches: (() => Promise<void>) | undefined;
  let stopReferralJobs: (() => Promise<void>) | undefined;
  let stopLinkEmails: (() => Promise<void>) | undefined;
  let stopReports: (() => Promise<void>) | undefined;
  let smtp: SmtpListener | null = null;
  const shutdown = () => (closing ??= (async () => {
    log.info('shutting down');
    await smtp?.close().catch(() => undefined); // stop taking mail first: senders retry elsewhere or later
    await app?.close().catch(() => undefined);
    await stopSealer?.();
    await stopEscalations?.();
    await stopSlaBreaches?.();
    await stopReferralJobs?.();
    await stopLinkEmails?.();
    await stopReports?.();
    await ctx.live?.close();
    await runtime.close();
  })());
  let app: Awaited<ReturnType<typeof buildApp>>['app'] | undefined;
  try {
    const { applied } = await migrateToLatest(ctx.db);
    if (applied.length) log.info({ applied }, 'migrations applied');
    let logins: DemoLogin[] | null = null;
    const hasHotline = await ctx.db.selectFrom('hotline').select('id').limit(1).executeTakeFirst();
    if (!hasHotline && config.seedDemo === 'auto') {
      log.info('seeding the demo hotline with synthetic data (first start)');
      logins = (await seedDemo(ctx)).logins;
    }
    ctx.live = new LiveHub(ctx.databaseUrl, log);
    await ctx.live.start();
    stopSealer = startAuditSealer(ctx.db, (error) => log.error({ err: error }, 'audit sealing failed'));
    stopEscalations = startEscalationPoller(ctx.db, log); // overdue protocol tasks -> supervisors (durable: state is in the task table)
    stopSlaBreaches = startSlaBreachPoller(ctx.db, log); // waiting contacts past their answer target -> supervisors (state on the contact)
    stopReferralJobs = startReferralPoller(ctx, log); // partner reminders and escalations (durable job rows)
    stopLinkEmails = startLinkEmailPoller(ctx, log); // partner-link emails that failed, retried with backoff (durable job rows)
    stopReports = startReportPoller(ctx.db, log); // the monthly operations report (durable delivery rows)
    ({ app } = await buildApp(ctx));
    // A deep accept queue: when a burst of new connections (a provider's webhooks, a proxy reconnecting) outruns
    // accept(), an overflowing queue makes the kernel drop handshakes and each such client waits a second or more
    // for a retransmission. Node's default is 511; the kernel caps this at net.core.somaxconn (4096 on current Linux).
    const address = await app.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
    smtp = await startConfiguredSmtpListener(ctx); // inbound email, when CATALYST_SMTP_PORT is set
    // Load HiGHS now, so its optimised code is ready before the first analyst's dashboard needs it.
    warmUpHighs().catch((error: unknown) => log.warn({ err: error }, 'HiGHS warm-up failed; suppression will load it on first use'));
    return { app, address, logins, isEmbedded: runtime.isEmbedded, shutdown };
  } catch (error) {
    await shutdown();
    throw error;
  }
}
