import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { classifySendError, relayOf } from './email.outbound.js';
import { EMAIL_LIMITS, isAutomaticEmail, messageIdKey, parseIdList, readInboundEmail, replyReferences, replySubject, sortAttachments, stripHtml } from './email.parse.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d1b0ed0000000049454e44ae426082', 'hex');

describe('Message-ID lists', () => {
  it('reads bracketed ids in order, without duplicates, and bare ids when there are no brackets', () => {
    expect(parseIdList('<a@x> <b@x>\r\n <a@x>')).toEqual(['<a@x>', '<b@x>']);
    expect(parseIdList(['<a@x>', '<c@y>'])).toEqual(['<a@x>', '<c@y>']);
    expect(parseIdList('a@x b@y')).toEqual(['<a@x>', '<b@y>']);
    expect(parseIdList('not an id')).toEqual([]);
    expect(parseIdList(undefined)).toEqual([]);
  });

  it('matches ids whatever their brackets, spaces and case', () => {
    expect(messageIdKey(' <ABC.def@Example.ORG> ')).toBe(messageIdKey('abc.def@example.org'));
  });

  it('keeps the root and the newest ids of a long References chain in a reply', () => {
    const chain = Array.from({ length: 80 }, (_, i) => `<m${i}@x>`);
    const refs = replyReferences(chain, '<last@x>');
    expect(refs).toHaveLength(EMAIL_LIMITS.maxRefs);
    expect(refs[0]).toBe('<m0@x>');
    expect(refs.at(-1)).toBe('<last@x>');
  });

  it('prefixes Re: once', () => {
    expect(replySubject('Ayuda')).toBe('Re: Ayuda');
    expect(replySubject('RE: Ayuda')).toBe('RE: Ayuda');
    expect(replySubject(null)).toBe('Re: your message');
  });
});

describe('reading a parsed email', () => {
  it('keeps accents, the sender, threading headers and the text of an HTML-only message', async () => {
    const raw = [
      'From: "José Núñez" <jose@example.org>',
      'To: tips@hotline.example',
      'Subject: =?UTF-8?Q?Se=C3=B1ales_de_trata_=E2=80=94_r=C3=A1pido?=',
      'Message-ID: <m2@example.org>',
      'In-Reply-To: <m1@hotline.example>',
      'References: <m0@example.org> <m1@hotline.example>',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Ella está en peligro</p><script>alert(1)</script>',
    ].join('\r\n');
    const email = readInboundEmail(await simpleParser(Buffer.from(raw)), 'bounce@example.org');
    expect(email).toMatchObject({ messageId: '<m2@example.org>', from: 'jose@example.org', subject: 'Señales de trata — rápido', text: 'Ella está en peligro' });
    expect(email.refs).toEqual(['<m1@hotline.example>', '<m0@example.org>']);
    expect(email.references).toEqual(['<m0@example.org>', '<m1@hotline.example>']);
  });

  it('falls back to the envelope sender and has no id when the message has none', async () => {
    const email = readInboundEmail(await simpleParser(Buffer.from('Subject: x\r\n\r\nhello')), 'env@example.org');
    expect(email).toMatchObject({ messageId: null, from: 'env@example.org', text: 'hello', refs: [] });
  });

  it('strips markup and scripts from HTML', () => {
    expect(stripHtml('<style>p{}</style><p>a &amp; b</p><br>c<script>x()</script>')).toBe('a & b\n\nc');
  });
});

describe('attachments', () => {
  it('keeps photos, PDFs and text by their bytes; lists the rest as dropped without names', () => {
    const { kept, dropped } = sortAttachments([
      { content: PNG, contentType: 'application/octet-stream', filename: '../../photo ñ.png', size: PNG.length },
      { content: Buffer.from('MZ\x90\x00binary', 'latin1'), contentType: 'image/png', filename: 'evil.png', size: 9 },
      { content: Buffer.alloc(0), contentType: 'text/plain', filename: 'empty.txt', size: 0 },
    ]);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ filename: 'photo ñ.png', contentType: 'image/png', size: PNG.length });
    expect(kept[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(dropped).toEqual([{ reason: 'type_not_allowed', contentType: 'image/png', size: 10 }, { reason: 'empty', contentType: 'text/plain', size: 0 }]);
  });

  it('refuses more than the allowed count and anything over the size limit', () => {
    const many = Array.from({ length: EMAIL_LIMITS.maxAttachments + 2 }, () => ({ content: PNG, contentType: 'image/png', filename: 'p.png', size: PNG.length }));
    const big = Buffer.alloc(EMAIL_LIMITS.maxAttachmentBytes + 1, 0x61);
    const { kept, dropped } = sortAttachments([...many, { content: big, contentType: 'text/plain', filename: 'big.txt', size: big.length }]);
    expect(kept).toHaveLength(EMAIL_LIMITS.maxAttachments);
    expect(dropped.map((d) => d.reason).sort()).toEqual(['too_large', 'too_many', 'too_many']);
  });
});

describe('parsing never fails on hostile input (fuzz)', () => {
  const headerLine = fc.oneof(
    fc.constantFrom('From: ', 'To: ', 'Subject: ', 'Message-ID: ', 'In-Reply-To: ', 'References: ', 'Content-Type: ', 'Content-Transfer-Encoding: ', 'Content-Disposition: ').chain((name) =>
      fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('multipart/mixed; boundary=b', 'text/html; charset=iso-8859-1', 'base64', 'quoted-printable', '=?utf-8?B?w6k=?=', '=?x?Q?broken', '<<>>@', 'attachment; filename="a.pdf"')).map((v) => name + v),
    ),
    fc.string({ maxLength: 120 }),
  );
  const message = fc.oneof(
    fc.tuple(fc.array(headerLine, { maxLength: 12 }), fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 300 })).map(([headers, text, bytes]) => Buffer.concat([Buffer.from(headers.join('\r\n') + '\r\n\r\n' + text + '\r\n--b\r\n'), Buffer.from(bytes)])),
    fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
  );

  it('reads 2000 generated messages into plain values', async () => {
    await fc.assert(
      fc.asyncProperty(message, async (raw) => {
        const email = readInboundEmail(await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true }), false);
        expect(typeof email.text).toBe('string');
        expect(email.refs.length).toBeLessThanOrEqual(EMAIL_LIMITS.maxRefs);
        for (const d of email.dropped) expect(d.contentType).toMatch(/^[\x21-\x7e]+$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('outbound relay', () => {
  it('takes the access point relay first, else the install URL', () => {
    expect(relayOf({ smtpHost: 'relay.example', smtpPort: 465, smtpUser: 'u' }, 'pw', 'smtp://x:y@other:25')).toEqual({ host: 'relay.example', port: 465, secure: true, user: 'u', password: 'pw' });
    expect(relayOf({}, null, 'smtp://us%40er:p%3Ass@mail.example:2525')).toEqual({ host: 'mail.example', port: 2525, secure: false, user: 'us@er', password: 'p:ss' });
    expect(relayOf({}, null, undefined)).toBeNull();
  });

  it('retries 4xx and network failures, not 5xx, and keeps only a code', () => {
    expect(classifySendError({ responseCode: 451, message: '451 <jose@example.org> try later' })).toEqual({ kind: 'retry', reason: 'smtp_451' });
    expect(classifySendError({ responseCode: 550, message: 'no such user jose@example.org' })).toEqual({ kind: 'failed', reason: 'smtp_550' });
    expect(classifySendError({ code: 'ECONNECTION' })).toEqual({ kind: 'retry', reason: 'econnection' });
    expect(classifySendError({ code: 'EAUTH' })).toEqual({ kind: 'failed', reason: 'eauth' });
  });
});

describe('isAutomaticEmail (RFC 3834: never answer a machine)', () => {
  const lines = (raw: Record<string, string>) => Object.entries(raw).map(([key, value]) => ({ key: key.toLowerCase(), line: `${key}: ${value}` }));
  it('answers people, including mail marked Auto-Submitted: no', () => {
    expect(isAutomaticEmail(lines({ Subject: 'Ayuda' }), 'ana@example.org', 'ana@example.org')).toBe(false);
    expect(isAutomaticEmail(lines({ 'Auto-Submitted': 'no' }), 'ana@example.org', 'ana@example.org')).toBe(false);
    expect(isAutomaticEmail(lines({ Precedence: 'first-class' }), 'ana@example.org', 'ana@example.org')).toBe(false);
  });
  it('does not answer auto-replies, bulk or list mail, bounces and no-reply addresses', () => {
    expect(isAutomaticEmail(lines({ 'Auto-Submitted': 'auto-generated' }), 'a@example.org', 'a@example.org')).toBe(true);
    expect(isAutomaticEmail(lines({ Precedence: 'junk' }), 'a@example.org', 'a@example.org')).toBe(true);
    expect(isAutomaticEmail(lines({ 'List-Unsubscribe': '<mailto:u@example.org>' }), 'a@example.org', 'a@example.org')).toBe(true);
    expect(isAutomaticEmail(lines({ 'X-Auto-Response-Suppress': 'OOF, AutoReply' }), 'a@example.org', 'a@example.org')).toBe(true);
    expect(isAutomaticEmail([], '', 'someone@example.org')).toBe(true);
    expect(isAutomaticEmail([], 'x@example.org', 'Do-Not-Reply@example.org')).toBe(true);
  });
});
