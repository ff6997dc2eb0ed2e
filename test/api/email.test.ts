import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import getTLSOptions from 'smtp-server/lib/tls-options.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPoint } from '../../src/server/channels/access-points.js';
import { startSmtpListener, type SmtpListener } from '../../src/server/channels/email/smtp-listener.js';
import { createLogger } from '../../src/server/log.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const TIPS = 'tips@hotline.example';
const NO_RELAY = 'norelay@hotline.example';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d1b0ed0000000049454e44ae426082', 'hex');
const RELAY_USER = 'relay-user';
const RELAY_PASSWORD = 'relay-password-0123456789';

let server: TestServer;
let listener: SmtpListener;
let relay: Relay;
let supervisor: ApiClient;
let advocate: ApiClient;
let accessPointId: string;

// ---------------------------------------------------------------------------------------------------------------
// A local smtp-server acting as the outbound relay: it requires authentication and records what it receives.
interface Relay {
  port: number;
  received: { rcptTo: string[]; raw: Buffer; parsed: ParsedMail }[];
  /** Replies to give at RCPT TO, consumed in order (then accept). */
  rcptCodes: number[];
  close(): Promise<void>;
}

async function startRelay(): Promise<Relay> {
  const state: Omit<Relay, 'port' | 'close'> = { received: [], rcptCodes: [] };
  const smtp = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    hideSTARTTLS: true,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === RELAY_USER && auth.password === RELAY_PASSWORD) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('5.7.8 bad credentials'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const code = state.rcptCodes.shift();
      callback(code ? Object.assign(new Error(`${code} refused for jose@example.org`), { responseCode: code }) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        state.received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed: await simpleParser(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { port: (smtp.server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) });
}

// ---------------------------------------------------------------------------------------------------------------
// The sending side: nodemailer (a real SMTP client) and a raw socket client for malformed sessions.
type Mail = SendMailOptions;
const send = (mail: Mail, port = listener.port) =>
  nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5000 }).sendMail({ to: TIPS, ...mail });
const messageId = () => `<${randomBytes(8).toString('hex')}@sender.example>`;

class RawSmtp {
  private buffer = '';
  private waiting: ((reply: { code: number; text: string }) => void)[] = [];
  private closed = false;
  private constructor(private socket: net.Socket) {
    socket.on('data', (data) => {
      this.buffer += data.toString('latin1');
      this.drain();
    });
    const end = () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w({ code: 0, text: 'closed' });
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  static async connect(port: number) {
    const socket = net.connect(port, '127.0.0.1');
    const client = new RawSmtp(socket);
    const greeting = await client.reply();
    return { client, greeting };
  }

  private drain() {
    for (;;) {
      const match = /(^|\r\n)(\d{3})( [^\r\n]*)?\r\n/.exec(this.buffer);
      if (!match || !this.waiting.length) return;
      const end = match.index + match[0].length;
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end);
      this.waiting.shift()!({ code: Number(match[2]), text });
    }
  }

  reply(timeoutMs = 10_000): Promise<{ code: number; text: string }> {
    if (this.closed) return Promise.resolve({ code: 0, text: 'closed' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ code: -1, text: 'timeout' }), timeoutMs);
      this.waiting.push((r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.drain();
    });
  }

  async command(line: string | Buffer, timeoutMs?: number) {
    if (this.closed) return { code: 0, text: 'closed' };
    this.socket.write(typeof line === 'string' ? line + '\r\n' : line);
    return this.reply(timeoutMs);
  }

  write(data: Buffer | string) {
    if (!this.closed) this.socket.write(data);
  }

  close() {
    this.socket.destroy();
  }
}

/** Dot-stuffs a message body for DATA, and ends it. */
const dataOf = (raw: Buffer) => Buffer.concat([Buffer.from(raw.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1'), Buffer.from('\r\n.\r\n')]);

// ---------------------------------------------------------------------------------------------------------------
const count = async (table: 'contact_message' | 'email_message' | 'attachment' | 'contact_thread') =>
  Number((await server.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

async function stored(rfcId: string) {
  const index = await server.ctx.keys.blindIndex(server.hotline.id, 'text', `email-message-id:${rfcId.replace(/^<|>$/g, '').toLowerCase()}`);
  return server.db
    .selectFrom('contact_message as m')
    .leftJoin('email_message as e', 'e.message_id', 'm.id')
    .select(['m.id', 'm.contact_id', 'm.thread_id', 'm.body', 'e.subject', 'e.address', 'e.rfc_message_id', 'e.dropped_attachments'])
    .where('m.hotline_id', '=', server.hotline.id)
    .where('m.external_id', '=', `email:${index.toString('hex')}`)
    .execute();
}
const dec = (field: string, value: Buffer | null) => server.ctx.keys.decryptOptional(server.hotline.id, field, value);

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  server.ctx.config.emailRetryBaseMs = 20;
  relay = await startRelay();
  const ap = await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'email', name: 'Hotline tips', address: 'Tips@Hotline.example', settings: { smtpHost: '127.0.0.1', smtpPort: relay.port, smtpUser: RELAY_USER }, secret: RELAY_PASSWORD });
  accessPointId = ap.id;
  await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'email', name: 'No relay', address: NO_RELAY, settings: {} });
  listener = await startSmtpListener(server.ctx, { port: 0, host: '127.0.0.1' });
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
});
afterAll(async () => {
  await listener?.close();
  await relay?.close();
  await server?.close();
});

describe('inbound email over SMTP', () => {
  it('stores a message with accents and an attachment, encrypted, before answering 250', async () => {
    const id = messageId();
    const info = await send({
      from: '"José Núñez" <jose.nunez@sender.example>',
      subject: 'Señales de trata — ayuda rápida',
      text: 'Mi vecina no tiene su pasaporte; el patrón la vigila día y noche.',
      messageId: id,
      attachments: [
        { filename: 'foto ñandú.png', content: PNG, contentType: 'image/png' },
        { filename: 'setup.exe', content: Buffer.from('MZ\x90\x00\x03\x00binary', 'latin1'), contentType: 'application/octet-stream' },
      ],
    });
    expect(info.response).toMatch(/^250 /);
    // The 250 came back: the rows must already be committed (no waiting, no polling).
    const rows = await stored(id);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row.body!.toString('latin1')).not.toContain('pasaporte');
    expect(await dec('contact_message.body', row.body)).toBe('Mi vecina no tiene su pasaporte; el patrón la vigila día y noche.');
    expect(row.subject!.toString('latin1')).not.toContain('trata');
    expect(await dec('email_message.subject', row.subject)).toBe('Señales de trata — ayuda rápida');
    expect(await dec('email_message.address', row.address)).toBe('jose.nunez@sender.example');
    expect(await dec('email_message.rfc_message_id', row.rfc_message_id)).toBe(id);
    expect(row.dropped_attachments).toEqual([{ reason: 'type_not_allowed', contentType: 'application/octet-stream', size: 12 }]);

    const thread = await server.db.selectFrom('contact_thread').select(['channel', 'subject', 'correspondent']).where('id', '=', row.thread_id).executeTakeFirstOrThrow();
    expect(thread.channel).toBe('email');
    expect(await dec('contact_thread.subject', thread.subject)).toBe('Señales de trata — ayuda rápida');
    expect(await dec('contact_thread.correspondent', thread.correspondent)).toBe('jose.nunez@sender.example');

    const attachments = await server.db.selectFrom('attachment').selectAll().where('message_id', '=', row.id).execute();
    expect(attachments).toHaveLength(1);
    const [file] = attachments;
    expect(file).toMatchObject({ content_type: 'image/png', size: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex'), contact_id: row.contact_id });
    expect(file.data.includes(PNG.subarray(8, 24))).toBe(false);
    expect(await server.ctx.keys.decryptBytes(server.hotline.id, 'attachment.data', file.data)).toEqual(PNG);
    expect(await dec('attachment.filename', file.filename)).toBe('foto ñandú.png');

    // The console sees it: a waiting email contact, its email details, and the attachment (audited reads).
    const queue = await supervisor.get('/api/queue');
    expect(queue.body.items.some((i: { id: string; channel: string }) => i.id === row.contact_id && i.channel === 'email')).toBe(true);
    const details = await supervisor.get(`/api/contacts/${row.contact_id}/email-messages`);
    expect(details.status).toBe(200);
    expect(details.body.items[0]).toMatchObject({ direction: 'inbound', address: 'jose.nunez@sender.example', subject: 'Señales de trata — ayuda rápida', attachments: [{ filename: 'foto ñandú.png', contentType: 'image/png' }], droppedAttachments: [{ reason: 'type_not_allowed' }] });
    const download = await supervisor.get(`/api/contacts/${row.contact_id}/email-attachments/${file.id}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''foto%20%C3%B1and%C3%BA.png");
    expect(download.raw.rawPayload).toEqual(PNG);
    const audit = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', row.contact_id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['contact.create', 'contact.attachments_received', 'contact.read_email', 'contact.read_attachment']));
  });

  it('threads a reply by In-Reply-To or References, even from another address', async () => {
    const first = messageId();
    await send({ from: 'alice@sender.example', subject: 'Trabajo en la granja', text: 'primero', messageId: first });
    const reply = messageId();
    await send({ from: 'bob@other.example', subject: 'Re: Trabajo en la granja', text: 'soy su hermano', messageId: reply, inReplyTo: first, references: [first] });
    const later = messageId();
    await send({ from: 'carol@third.example', subject: 'fwd', text: 'más datos', messageId: later, references: ['<unknown@nowhere.example>', reply] });
    const unrelated = messageId();
    await send({ from: 'bob@other.example', subject: 'otra cosa', text: 'nuevo tema', messageId: unrelated });

    const [a] = await stored(first);
    const [b] = await stored(reply);
    const [c] = await stored(later);
    const [d] = await stored(unrelated);
    expect(b.thread_id).toBe(a.thread_id);
    expect(c.thread_id).toBe(a.thread_id);
    expect(b.contact_id).toBe(a.contact_id); // the thread's open contact
    expect(d.thread_id).not.toBe(a.thread_id); // bob's own thread, not alice's
    expect(await dec('email_message.address', b.address)).toBe('bob@other.example'); // who really wrote is kept
  });

  it('stores a message sent again (same Message-ID) once, even concurrently', async () => {
    const id = messageId();
    const mail = { from: 'dup@sender.example', subject: 'dup', text: 'una vez', messageId: id, attachments: [{ filename: 'a.png', content: PNG }] };
    const results = await Promise.all([send(mail), send(mail), send(mail)]);
    await send(mail);
    expect(results.every((r) => r.response.startsWith('250'))).toBe(true);
    const rows = await stored(id);
    expect(rows).toHaveLength(1);
    expect(await server.db.selectFrom('attachment').select('id').where('message_id', '=', rows[0].id).execute()).toHaveLength(1);
    expect(await server.db.selectFrom('email_message').select('id').where('message_id', '=', rows[0].id).execute()).toHaveLength(1);
  });

  it('refuses an unknown recipient at RCPT TO with 550 and stores nothing', async () => {
    const before = await count('contact_message');
    const error = await send({ to: 'nobody@hotline.example', from: 'x@sender.example', subject: 's', text: 't', messageId: messageId() }).catch((e: { responseCode?: number; code?: string }) => e);
    expect(error).toMatchObject({ responseCode: 550 });
    const raw = (await RawSmtp.connect(listener.port)).client;
    await raw.command('EHLO test.example');
    expect((await raw.command('MAIL FROM:<x@sender.example>')).code).toBe(250);
    expect((await raw.command('RCPT TO:<nobody@hotline.example>')).code).toBe(550);
    expect((await raw.command('RCPT TO:<TIPS@hotline.example>')).code).toBe(250); // case-insensitive
    raw.close();
    expect(await count('contact_message')).toBe(before);
  });

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    const small = await startSmtpListener(server.ctx, { port: 0, maxBytes: 64 * 1024 });
    try {
      const before = await count('contact_message');
      const error = await send({ from: 'big@sender.example', subject: 'big', text: 'x'.repeat(200 * 1024), messageId: messageId() }, small.port).catch((e: { responseCode?: number }) => e);
      expect(error).toMatchObject({ responseCode: 552 });
      // Declared up front (MAIL FROM ... SIZE=) is refused before any data.
      const raw = (await RawSmtp.connect(small.port)).client;
      expect((await raw.command('EHLO test.example')).text).toContain('SIZE 65536');
      expect((await raw.command(`MAIL FROM:<big@sender.example> SIZE=${1024 * 1024}`)).code).toBe(552);
      raw.close();
      expect(await count('contact_message')).toBe(before);
      // Under the limit is fine on the same listener.
      expect((await send({ from: 'small@sender.example', subject: 's', text: 'ok', messageId: messageId() }, small.port)).response).toMatch(/^250/);
    } finally {
      await small.close();
    }
  });

  it('offers STARTTLS only with a certificate, and takes mail over it', async () => {
    const plain = (await RawSmtp.connect(listener.port)).client;
    const ehlo = await plain.command('EHLO test.example');
    plain.close();
    expect(ehlo.text).not.toContain('STARTTLS');
    expect(ehlo.text).not.toContain('AUTH');
    const { key, cert } = getTLSOptions() as { key: string; cert: string };
    const secured = await startSmtpListener(server.ctx, { port: 0, tls: { key, cert } });
    try {
      const id = messageId();
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: secured.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
      expect((await transport.sendMail({ to: TIPS, from: 'tls@sender.example', subject: 'cifrado', text: 'por TLS', messageId: id })).response).toMatch(/^250/);
      expect(await stored(id)).toHaveLength(1);
    } finally {
      await secured.close();
    }
  });

  it('answers 451 when the database fails, and stores the retry once, in full', async () => {
    const id = messageId();
    const mail = { from: 'retry@sender.example', subject: 'reintento', text: 'no me pierdan', messageId: id, attachments: [{ filename: 'p.png', content: PNG }] };

    // The core store fails: nothing kept, 451 (temporary), the sender will retry.
    await server.db.schema.alterTable('contact_message').renameTo('contact_message_away').execute();
    let error: { responseCode?: number } | undefined;
    try {
      error = await send(mail).then(() => undefined, (e) => e);
    } finally {
      await server.db.schema.alterTable('contact_message_away').renameTo('contact_message').execute();
    }
    expect(error).toMatchObject({ responseCode: 451 });
    expect(await stored(id)).toHaveLength(0);

    // The details step fails after the message committed: still 451, and the retry completes it (once).
    await server.db.schema.alterTable('email_message').renameTo('email_message_away').execute();
    try {
      error = await send(mail).then(() => undefined, (e) => e);
    } finally {
      await server.db.schema.alterTable('email_message_away').renameTo('email_message').execute();
    }
    expect(error).toMatchObject({ responseCode: 451 });
    expect(await stored(id)).toHaveLength(1);

    expect((await send(mail)).response).toMatch(/^250/);
    const rows = await stored(id);
    expect(rows).toHaveLength(1);
    expect(await dec('email_message.subject', rows[0].subject)).toBe('reintento');
    expect(await server.db.selectFrom('attachment').select('id').where('message_id', '=', rows[0].id).execute()).toHaveLength(1);
  });
});

describe('hostile SMTP traffic (fuzz)', () => {
  const COMMANDS = ['EHLO x', 'HELO x', 'MAIL FROM:<a@b.example>', `RCPT TO:<${TIPS}>`, 'RCPT TO:<nobody@x>', 'DATA', 'RSET', 'NOOP', 'VRFY x', 'AUTH PLAIN AGVzYwBwYXNz', 'STARTTLS', 'QUIT', 'BDAT 10', '.', 'MAIL FROM:<>', 'MAIL FROM:<a@b> SIZE=abc'];
  const line = fc.oneof(
    fc.constantFrom(...COMMANDS),
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );

  it('survives 400 garbage sessions (10 at a time) and still takes mail afterwards', async () => {
    const session = async (lines: string[]) => {
      const { client, greeting } = await RawSmtp.connect(listener.port);
      expect(greeting.code).toBe(220);
      for (const l of lines) {
        const reply = await client.command(Buffer.from(l + '\r\n', 'latin1'), 300);
        // A reply, or a closed connection, or silence while the server is in DATA mode: never a hang-up crash.
        expect(reply.code === 0 || reply.code === -1 || (reply.code >= 200 && reply.code < 600)).toBe(true);
        if (reply.code <= 0) break;
      }
      client.close();
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(line, { minLength: 1, maxLength: 12 }), { minLength: 10, maxLength: 10 }), async (sessions) => {
        await Promise.all(sessions.map(session));
      }),
      { numRuns: 40 },
    );
    expect((await send({ from: 'after@sender.example', subject: 'still alive', text: 'ok', messageId: messageId() })).response).toMatch(/^250/);
  }, 120_000);

  it('stores or refuses 1500 generated MIME messages, never with a temporary failure, and the console reads them all', async () => {
    const header = fc.oneof(
      fc.constantFrom('From: ', 'Subject: ', 'Message-ID: ', 'In-Reply-To: ', 'References: ', 'Content-Type: ', 'Content-Transfer-Encoding: ', 'Content-Disposition: ', 'X-Junk: ').chain((name) =>
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.constantFrom('multipart/mixed; boundary=b', 'text/html; charset=iso-8859-1', 'base64', 'quoted-printable', '=?utf-8?B?w6k=?=', '=?x?Q?broken', '<<>>@', 'attachment; filename="a.pdf"', '"Ünï" <u@sender.example>', '<a@b> <c@d>'),
        ).map((v) => (name + v).replace(/[\r\n]/g, ' ')),
      ),
    );
    const part = fc.tuple(fc.constantFrom('text/plain; charset=utf-8', 'image/png', 'application/pdf', 'text/html', 'application/zip'), fc.uint8Array({ maxLength: 400 })).map(
      ([type, bytes]) => `--b\r\nContent-Type: ${type}\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="f"\r\n\r\n${Buffer.from(bytes).toString('base64')}\r\n`,
    );
    const message = fc.oneof(
      fc.tuple(fc.array(header, { maxLength: 10 }), fc.string({ maxLength: 300 }), fc.array(part, { maxLength: 3 })).map(([headers, text, parts]) =>
        Buffer.from(`${headers.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${text}\r\n${parts.join('')}--b--\r\n`, 'utf8'),
      ),
      fc.uint8Array({ maxLength: 1500 }).map((bytes) => Buffer.from(bytes)),
    );
    const samples = fc.sample(message, { numRuns: 1500, seed: 20240607 });
    const codes = new Map<number, number>();
    let client = (await RawSmtp.connect(listener.port)).client;
    await client.command('EHLO fuzz.example');
    for (const raw of samples) {
      let mail = await client.command('MAIL FROM:<fuzz@sender.example>');
      if (mail.code !== 250) {
        client.close();
        client = (await RawSmtp.connect(listener.port)).client;
        await client.command('EHLO fuzz.example');
        mail = await client.command('MAIL FROM:<fuzz@sender.example>');
      }
      expect(mail.code).toBe(250);
      expect((await client.command(`RCPT TO:<${TIPS}>`)).code).toBe(250);
      expect((await client.command('DATA')).code).toBe(354);
      client.write(dataOf(raw));
      const reply = await client.reply();
      codes.set(reply.code, (codes.get(reply.code) ?? 0) + 1);
    }
    client.close();
    // 250 for what was stored; a permanent refusal is acceptable for unreadable input; a 451 here would be a bug.
    console.info('fuzz replies by code', Object.fromEntries(codes));
    expect([...codes.keys()].every((code) => code === 250 || code === 554)).toBe(true);
    expect(codes.get(250)).toBeGreaterThan(1000);

    const contacts = await server.db.selectFrom('contact').select('id').where('channel', '=', 'email').execute();
    const statuses = new Set<number>();
    for (const { id } of contacts) {
      statuses.add((await supervisor.get(`/api/contacts/${id}`)).status);
      statuses.add((await supervisor.get(`/api/contacts/${id}/email-messages`)).status);
    }
    statuses.add((await supervisor.get('/api/queue')).status);
    expect([...statuses]).toEqual([200]);
  }, 300_000);
});

describe('replies by email from the console', () => {
  it('sends through the relay with In-Reply-To and References, and records queued then sent', async () => {
    relay.received.length = 0;
    const root = messageId();
    const last = messageId();
    await send({ from: 'maria@sender.example', subject: 'Necesito ayuda', text: 'hola', messageId: root });
    await send({ from: 'maria@sender.example', subject: 'Re: Necesito ayuda', text: 'sigo aquí', messageId: last, inReplyTo: root, references: [root] });
    const [{ contact_id: contactId, thread_id: threadId }] = await stored(last);

    const response = await supervisor.post(`/api/contacts/${contactId}/email-reply`, { body: 'Gracias por escribirnos. Estamos aquí para ayudarle — ¿está a salvo ahora?' });
    expect(response.status).toBe(202);
    expect(response.body.message).toMatchObject({ status: 'queued', direction: 'outbound' });
    const id = response.body.message.id;
    const message = await waitFor(() => server.db.selectFrom('contact_message').select(['status', 'body']).where('id', '=', id).executeTakeFirstOrThrow(), (m) => m.status !== 'queued');
    expect(message.status).toBe('sent');
    expect(message.body!.toString('latin1')).not.toContain('Gracias');

    expect(relay.received).toHaveLength(1);
    const [got] = relay.received;
    expect(got.rcptTo).toEqual(['maria@sender.example']);
    expect(got.parsed.inReplyTo).toBe(last);
    expect(got.parsed.references).toEqual([root, last]);
    expect(got.parsed.subject).toBe('Re: Necesito ayuda');
    expect(got.parsed.text?.trim()).toBe('Gracias por escribirnos. Estamos aquí para ayudarle — ¿está a salvo ahora?');
    expect(got.parsed.from?.value[0]).toMatchObject({ address: 'Tips@Hotline.example'.toLowerCase(), name: 'Hotline tips' });
    expect(got.parsed.messageId).toMatch(/@hotline\.example>$/);

    // The person answers our reply (from their phone's other address): it lands in the same thread.
    const answer = messageId();
    await send({ from: 'maria.movil@sender.example', subject: 'Re: Re: Necesito ayuda', text: 'sí, gracias', messageId: answer, inReplyTo: got.parsed.messageId, references: [root, last, got.parsed.messageId!] });
    expect((await stored(answer))[0].thread_id).toBe(threadId);

    // A copy of our own reply coming back in (e.g. a CC loop) is not stored as a new message.
    const before = await count('contact_message');
    await send({ from: TIPS, subject: 'Re: Necesito ayuda', text: 'copia', messageId: got.parsed.messageId });
    expect(await count('contact_message')).toBe(before);

    const details = await supervisor.get(`/api/contacts/${contactId}/email-messages`);
    expect(details.body.items.find((i: { messageId: string }) => i.messageId === id)).toMatchObject({ direction: 'outbound', address: 'maria@sender.example', status: 'sent', attempts: 1, failureReason: null });
    const audit = await server.db.selectFrom('audit_log').select(['action', 'details']).where('record_id', '=', contactId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['contact.reply', 'contact.reply_status']));
  });

  it('answers the address that opened the conversation unless another one that wrote in it is chosen', async () => {
    relay.received.length = 0;
    const opening = messageId();
    await send({ from: 'rosa@sender.example', subject: 'Mi hija', text: 'ayuda', messageId: opening });
    const injected = messageId();
    await send({ from: 'otro@elsewhere.example', subject: 'Re: Mi hija', text: 'escríbame a mí', messageId: injected, inReplyTo: opening, references: [opening] });
    const [{ contact_id: contactId }] = await stored(opening);
    expect((await stored(injected))[0].contact_id).toBe(contactId);

    const first = await supervisor.post(`/api/contacts/${contactId}/email-reply`, { body: 'respuesta a Rosa' });
    expect(first.status).toBe(202);
    await waitFor(async () => relay.received.length, (n) => n >= 1);
    expect(relay.received[0].rcptTo).toEqual(['rosa@sender.example']);
    expect(relay.received[0].parsed.inReplyTo).toBe(opening);

    const chosen = await supervisor.post(`/api/contacts/${contactId}/email-reply`, { body: 'respuesta elegida', to: 'OTRO@elsewhere.example' });
    expect(chosen.status).toBe(202);
    await waitFor(async () => relay.received.length, (n) => n >= 2);
    expect(relay.received[1].rcptTo).toEqual(['otro@elsewhere.example']);
    expect(relay.received[1].parsed.inReplyTo).toBe(injected);

    const stranger = await supervisor.post(`/api/contacts/${contactId}/email-reply`, { body: 'x', to: 'stranger@nowhere.example' });
    expect(stranger.status).toBe(409);
    expect(relay.received).toHaveLength(2);
  });

  it('retries a temporary refusal and records a permanent one as failed with its code, visibly', async () => {
    const id1 = messageId();
    await send({ from: 'pedro@sender.example', subject: 'hola', text: 'x', messageId: id1 });
    const [{ contact_id: contactId }] = await stored(id1);

    relay.rcptCodes.push(451, 421);
    const retried = await supervisor.post(`/api/contacts/${contactId}/email-reply`, { body: 'primera respuesta' });
    const ok = await waitFor(() => server.db.selectFrom('email_message as e').innerJoin('contact_message as m', 'm.id', 'e.message_id').select(['m.status', 'e.attempts']).where('e.message_id', '=', retried.body.message.id).executeTakeFirstOrThrow(), (m) => m.status !== 'queued');
    expect(ok).toEqual({ status: 'sent', attempts: 3 });

    relay.rcptCodes.push(550);
    const refused = await supervisor.post(`/api/contacts/${contactId}/email-reply`, { body: 'segunda respuesta' });
    const failed = await waitFor(() => server.db.selectFrom('contact_message').select('status').where('id', '=', refused.body.message.id).executeTakeFirstOrThrow(), (m) => m.status !== 'queued');
    expect(failed.status).toBe('failed');
    const details = await supervisor.get(`/api/contacts/${contactId}/email-messages`);
    expect(details.body.items.find((i: { messageId: string }) => i.messageId === refused.body.message.id)).toMatchObject({ status: 'failed', failureReason: 'smtp_550', attempts: 1 });
  });

  it('records a wrong relay password as failed (eauth), never silently', async () => {
    const id1 = messageId();
    await send({ from: 'ana@sender.example', subject: 'hola', text: 'x', messageId: id1 });
    const [{ contact_id: contactId }] = await stored(id1);
    await server.db.updateTable('access_point').set({ secret: await server.ctx.keys.encrypt(server.hotline.id, 'access_point.secret', 'wrong-password') }).where('id', '=', accessPointId).execute();
    try {
      const response = await supervisor.post(`/api/contacts/${contactId}/email-reply`, { body: 'respuesta' });
      const failed = await waitFor(() => server.db.selectFrom('email_message').select(['failure_reason', 'is_done']).where('message_id', '=', response.body.message.id).executeTakeFirstOrThrow(), (m) => m.is_done);
      expect(failed.failure_reason).toMatch(/^(eauth|smtp_535)$/);
    } finally {
      await server.db.updateTable('access_point').set({ secret: await server.ctx.keys.encrypt(server.hotline.id, 'access_point.secret', RELAY_PASSWORD) }).where('id', '=', accessPointId).execute();
    }
  });

  it('refuses replies that cannot or may not be sent', async () => {
    const id1 = messageId();
    await send({ from: 'luis@sender.example', subject: 'hola', text: 'x', messageId: id1 });
    const [{ contact_id: contactId }] = await stored(id1);
    // An advocate who does not handle the contact.
    expect((await advocate.post(`/api/contacts/${contactId}/email-reply`, { body: 'x' })).status).toBe(403);
    // Empty body.
    expect((await supervisor.post(`/api/contacts/${contactId}/email-reply`, { body: '   ' })).status).toBe(400);
    // Unknown contact.
    expect((await supervisor.post('/api/contacts/00000000-0000-4000-8000-000000000000/email-reply', { body: 'x' })).status).toBe(404);
    // An address with no relay (and no CATALYST_SMTP_RELAY_URL).
    const id2 = messageId();
    await send({ to: NO_RELAY, from: 'luis2@sender.example', subject: 'hola', text: 'x', messageId: id2 });
    const [{ contact_id: noRelayContact }] = await stored(id2);
    const refused = await supervisor.post(`/api/contacts/${noRelayContact}/email-reply`, { body: 'x' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
  });
});

describe('automatic answers of a line (opt-in, RFC 3834)', () => {
  const AUTO = 'auto@hotline.example';
  beforeAll(async () => {
    await createAccessPoint(server.db, server.ctx, server.hotline.id, {
      channel: 'email', name: 'Hotline help', address: AUTO,
      settings: { smtpHost: '127.0.0.1', smtpPort: relay.port, smtpUser: RELAY_USER, languages: ['en', 'es'], greetings: { en: 'We received your message and will answer soon.', es: 'Recibimos su mensaje y le responderemos pronto.' } },
      secret: RELAY_PASSWORD,
    });
  });
  const repliesTo = (address: string) => relay.received.filter((r) => r.rcptTo.includes(address));

  it('answers a new conversation once, as a threaded reply marked Auto-Submitted, stored in the thread and audited', async () => {
    relay.received.length = 0;
    const id = messageId();
    await send({ to: AUTO, from: 'ana@example.org', subject: 'Trabajo en una granja', text: 'Nos quitaron los pasaportes.', messageId: id });
    const [reply] = await waitFor(async () => repliesTo('ana@example.org'), (r) => r.length === 1);
    expect(reply.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(reply.parsed.inReplyTo).toBe(id);
    expect(reply.parsed.subject).toBe('Re: Trabajo en una granja');
    expect(reply.parsed.text?.trim()).toBe('We received your message and will answer soon.\n\nRecibimos su mensaje y le responderemos pronto.');
    // The person writes again in the same conversation: no second automatic answer.
    await send({ to: AUTO, from: 'ana@example.org', subject: 'Re: Trabajo en una granja', text: 'Somos cuatro.', messageId: messageId(), inReplyTo: reply.parsed.messageId, references: [id, reply.parsed.messageId!] });
    const { contact_id: contactId } = await server.db.selectFrom('contact_message').select('contact_id').where('body', 'is not', null).where('direction', '=', 'outbound').where('author_id', 'is', null).orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    const messages = await server.db.selectFrom('contact_message').select(['direction', 'author_id', 'status']).where('contact_id', '=', contactId).orderBy('created_at').execute();
    expect(messages.map((m) => m.direction)).toEqual(['inbound', 'outbound', 'inbound']);
    expect(messages[1]).toMatchObject({ author_id: null });
    expect(repliesTo('ana@example.org')).toHaveLength(1);
    const audit = await server.db.selectFrom('audit_log').select(['actor_label', 'details']).where('record_id', '=', contactId).where('action', '=', 'contact.auto_reply').execute();
    expect(audit).toEqual([{ actor_label: 'system:auto-reply', details: { channel: 'email', kind: 'greeting', messageId: expect.any(String) } }]);
  });

  it('never answers a machine: auto-replies, bulk and list mail, bounces, no-reply senders (the messages are still stored)', async () => {
    relay.received.length = 0;
    const machines: Mail[] = [
      { from: 'ooo@example.org', headers: { 'Auto-Submitted': 'auto-replied' } },
      { from: 'news@example.org', headers: { Precedence: 'bulk' } },
      { from: 'list@example.org', headers: { 'List-Id': '<tips.lists.example.org>' } },
      { from: 'exchange@example.org', headers: { 'X-Auto-Response-Suppress': 'All' } },
      { from: 'no-reply@example.org' },
      { from: 'mailer-daemon@example.org', envelope: { from: '', to: AUTO } },
    ];
    for (const [i, mail] of machines.entries()) await send({ to: AUTO, subject: `automatic ${i}`, text: 'This is an automatic message.', messageId: messageId(), ...mail });
    // One real person last: once their answer has gone out, the machines' would have too.
    await send({ to: AUTO, from: 'luis@example.org', subject: 'Ayuda', text: 'Necesito ayuda.', messageId: messageId() });
    await waitFor(async () => repliesTo('luis@example.org'), (r) => r.length === 1);
    expect(relay.received.map((r) => r.rcptTo).flat()).toEqual(['luis@example.org']);
    const stored = await server.db.selectFrom('contact').select((eb) => eb.fn.countAll<string>().as('n')).where('channel', '=', 'email').where('received_at', '>', new Date(Date.now() - 60_000)).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBeGreaterThanOrEqual(machines.length + 1);
  });
});

describe('logs', () => {
  it('never log addresses, subjects or bodies, even at trace level and on failures', async () => {
    const lines: string[] = [];
    const quiet = server.ctx.log;
    server.ctx.log = createLogger('trace', new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
    const traced = await startSmtpListener(server.ctx, { port: 0 });
    try {
      const id = messageId();
      const mail = { from: '"Inès Secreta" <ines.secreta@sender.example>', subject: 'Asunto muy privado', text: 'cuerpo confidencial', messageId: id };
      await server.db.schema.alterTable('email_message').renameTo('email_message_away').execute();
      try {
        await send(mail, traced.port).catch(() => undefined);
      } finally {
        await server.db.schema.alterTable('email_message_away').renameTo('email_message').execute();
      }
      await send(mail, traced.port);
      await send({ to: 'nadie@hotline.example', ...mail }, traced.port).catch(() => undefined);
      const [{ contact_id: contactId }] = await stored(id);
      relay.rcptCodes.push(451, 550);
      const reply = await supervisor.post(`/api/contacts/${contactId}/email-reply`, { body: 'respuesta confidencial' });
      await waitFor(() => server.db.selectFrom('email_message').select('is_done').where('message_id', '=', reply.body.message.id).executeTakeFirstOrThrow(), (m) => m.is_done);
      // The outbox logs the failure after its commit: wait for the line too before the logger is put back.
      await waitFor(async () => lines.join('\n'), (all) => all.includes('email reply failed'));
    } finally {
      await traced.close();
      server.ctx.log = quiet;
    }
    const all = lines.join('\n');
    expect(all).toContain('storing an inbound email failed');
    expect(all).toContain('email reply will be retried');
    expect(all).toContain('email reply failed');
    for (const secret of ['ines.secreta', 'Inès', 'Asunto muy privado', 'cuerpo confidencial', 'respuesta confidencial', 'nadie@', 'sender.example']) expect(all).not.toContain(secret);
  });
});
