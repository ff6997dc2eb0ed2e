import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { AppContext } from '../../context.js';
import { AccessPointCache, type ActiveAccessPoint } from '../access-points.js';
import type { RecordedSignal } from '../../intake/intake.service.js';
import { autoReplyText } from '../hours.js';
import { EMAIL_LIMITS, readInboundEmail, type InboundEmail } from './email.parse.js';
import { storeInboundEmail } from './email.inbound.js';
import { queueEmailAutoReply } from './email.outbound.js';

export interface SmtpListenerOptions {
  port: number;
  host?: string;
  /** A certificate and key (PEM) to offer STARTTLS; without them STARTTLS is not advertised. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The largest message accepted, in bytes (default 15 MB); a bigger one is refused with 552. */
  maxBytes?: number;
  /** The name in the greeting and in HELO replies. */
  name?: string;
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

/** An SMTP reply carried by an Error, as smtp-server expects from its callbacks. */
function smtpError(responseCode: number, message: string) {
  return Object.assign(new Error(message), { responseCode });
}

/** Reads the whole message (the connection waits for it), keeping at most `maxBytes`. */
async function readLimited(stream: Readable, maxBytes: number): Promise<{ raw: Buffer; isTooBig: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let isTooBig = false;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) isTooBig = true;
    // Past the limit the rest is drained, never kept: the connection must read to the final dot to answer.
    if (!isTooBig) chunks.push(buffer);
  }
  return { raw: isTooBig ? Buffer.alloc(0) : Buffer.concat(chunks, size), isTooBig };
}

/**
 * The inbound SMTP listener (MX-style delivery: no authentication). A recipient must be the address of an active email
 * access point (550 otherwise, at RCPT TO). A message is answered 250 only once it is committed; a database failure is
 * answered 451 so the sending server retries, and a retry is stored once (by Message-ID).
 */
export async function startSmtpListener(ctx: AppContext, options: SmtpListenerOptions): Promise<SmtpListener> {
  const cache = new AccessPointCache(ctx);
  const maxBytes = options.maxBytes ?? EMAIL_LIMITS.maxMessageBytes;
  const log = ctx.log.child({ component: 'smtp' });

  const findAccessPoint = (address: string) => cache.find('email', address.trim());

  const server = new SMTPServer({
    name: options.name,
    banner: 'Catalyst intake',
    logger: false,
    // Inbound delivery from other mail servers: no AUTH (nothing to log in to), STARTTLS only with a real certificate.
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    hideSTARTTLS: !options.tls,
    ...(options.tls && { key: options.tls.key, cert: options.tls.cert }),
    size: maxBytes,
    rejectOversized: true,
    maxClients: 100,
    // We do not use the client's reverse DNS name, and the look-up costs up to 1.5 s per connection.
    disableReverseLookup: true,
    socketTimeout: 60_000,
    closeTimeout: 5_000,

    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= EMAIL_LIMITS.maxRecipients) return callback(smtpError(452, '4.5.3 Too many recipients'));
      findAccessPoint(address.address)
        .then((accessPoint) => callback(accessPoint ? null : smtpError(550, '5.1.1 No such mailbox here')))
        .catch((error: unknown) => {
          log.warn({ code: (error as { code?: string }).code ?? 'lookup_failed' }, 'smtp recipient lookup failed');
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        });
    },

    onData(stream, session, callback) {
      receive(stream, session).then(
        (reply) => callback(null, reply),
        (error: Error & { responseCode?: number }) => callback(error.responseCode ? error : smtpError(451, '4.3.0 Temporary failure, try again later')),
      );
    },
  });

  async function receive(stream: Readable & { sizeExceeded?: boolean }, session: SMTPServerSession): Promise<string> {
    const { raw, isTooBig } = await readLimited(stream, maxBytes);
    if (isTooBig || stream.sizeExceeded) throw smtpError(552, `5.3.4 Message too big (at most ${maxBytes} bytes)`);
    let email;
    try {
      const parsed = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
      email = readInboundEmail(parsed, session.envelope.mailFrom ? session.envelope.mailFrom.address : false);
    } catch {
      throw smtpError(554, '5.6.0 The message could not be read');
    }
    const rawSha256 = createHash('sha256').update(raw).digest('hex');
    // One delivery to each distinct access point (two addresses of one hotline store the message once, by Message-ID).
    const accessPoints = new Map<string, ActiveAccessPoint>();
    try {
      for (const rcpt of session.envelope.rcptTo) {
        const accessPoint = await findAccessPoint(rcpt.address);
        if (accessPoint) accessPoints.set(accessPoint.id, accessPoint);
      }
    } catch (error) {
      log.warn({ code: (error as { code?: string }).code ?? 'lookup_failed' }, 'smtp recipient lookup failed');
      throw smtpError(451, '4.3.0 Temporary failure, try again later');
    }
    // Deactivated between RCPT TO and DATA.
    if (accessPoints.size === 0) throw smtpError(550, '5.1.1 No such mailbox here');
    for (const accessPoint of accessPoints.values()) {
      try {
        const recorded = await storeInboundEmail(ctx, accessPoint, email, rawSha256, session.remoteAddress ?? null);
        if (recorded.isNewContact && !recorded.isDuplicate) await emailAutoReply(accessPoint, email, recorded, session.remoteAddress ?? null);
      } catch (error) {
        // Nothing personal in the log: the error code (e.g. a PostgreSQL SQLSTATE) and which access point.
        log.error({ code: (error as { code?: string }).code ?? (error as Error).name, accessPointId: accessPoint.id }, 'storing an inbound email failed; answered 451');
        throw smtpError(451, '4.3.0 Temporary failure, try again later');
      }
    }
    return 'OK: message stored';
  }

  /** The line's greeting or after-hours text (opt-in) to a new conversation; the message itself is already safe. */
  async function emailAutoReply(accessPoint: ActiveAccessPoint, email: InboundEmail, recorded: RecordedSignal, ip: string | null) {
    try {
      const answer = await autoReplyText(ctx, accessPoint, 10_000);
      if (answer) await queueEmailAutoReply(ctx, accessPoint, recorded, email, answer.text, answer.kind, ip);
    } catch (error) {
      log.error({ code: (error as { code?: string }).code ?? (error as Error).name, accessPointId: accessPoint.id }, 'automatic email answer not queued');
    }
  }

  // smtp-server reports socket and protocol errors as events: without a listener they would crash the process.
  server.on('error', (error: Error & { code?: string }) => log.debug({ code: error.code ?? 'smtp_error' }, 'smtp connection error'));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once('error', onError);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.server.removeListener('error', onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ port }, 'smtp listener started');
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => (closing ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

/** The listener as the server configures it (CATALYST_SMTP_PORT and friends), or null when email intake is off. */
export async function startConfiguredSmtpListener(ctx: AppContext): Promise<SmtpListener | null> {
  const { smtpPort, smtpHost, smtpTlsKeyFile, smtpTlsCertFile } = ctx.config;
  if (smtpPort === undefined) return null;
  if (!!smtpTlsKeyFile !== !!smtpTlsCertFile) throw new Error('Invalid configuration: set both CATALYST_SMTP_TLS_KEY_FILE and CATALYST_SMTP_TLS_CERT_FILE, or neither');
  const { readFile } = await import('node:fs/promises');
  const tls = smtpTlsKeyFile && smtpTlsCertFile ? { key: await readFile(smtpTlsKeyFile), cert: await readFile(smtpTlsCertFile) } : undefined;
  return startSmtpListener(ctx, { port: smtpPort, host: smtpHost, tls });
}
