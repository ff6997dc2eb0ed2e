import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanFilename, detectAttachmentType } from './webform.files.js';
import { newPassphrase, newReferenceCode, normalisePassphrase, normaliseReferenceCode } from './webform.secrets.js';
import { negotiateLocale } from './webform.text.js';

describe('reference codes and passphrases', () => {
  it('reads back what a person types: any case, spaces or dashes, with or without the prefix', () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        const code = newReferenceCode();
        const pass = newPassphrase();
        expect(normaliseReferenceCode(code)).toBe(code);
        expect(normaliseReferenceCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
        expect(normaliseReferenceCode(code.slice(4))).toBe(code);
        expect(normalisePassphrase(pass.toUpperCase().replace(/-/g, ''))).toBe(pass);
      }),
      { numRuns: 200 },
    );
  });

  it('uses no look-alike characters and never repeats in practice', () => {
    const codes = new Set(Array.from({ length: 2000 }, newReferenceCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code.slice(4)).not.toMatch(/[01ILOUV]/);
    for (let i = 0; i < 500; i++) expect(newPassphrase()).not.toMatch(/[01ilouv]/);
  });

  it('refuses what cannot be a code or a passphrase', () => {
    for (const bad of ['', 'TIP-', 'TIP-1111-2222', 'TIP-AAAA-AAA', 'x'.repeat(100)]) expect(normaliseReferenceCode(bad)).toBeNull();
    for (const bad of ['', 'short', 'aaaa-bbbb-cccc-ddd1', 'aaaa-bbbb-cccc-dddd-eeee']) expect(normalisePassphrase(bad)).toBeNull();
  });
});

describe('attachment types by their bytes', () => {
  it('recognises the accepted kinds whatever they are called', () => {
    expect(detectAttachmentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(detectAttachmentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(detectAttachmentType(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
    expect(detectAttachmentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(detectAttachmentType(Buffer.from('Plaque : AB-123-CD\r\nÑandú\n'))).toBe('text/plain');
  });

  it('refuses archives, executables, other RIFF files and binary noise', () => {
    expect(detectAttachmentType(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBeNull();
    expect(detectAttachmentType(Buffer.from('MZ\x90\x00\x03'))).toBeNull();
    expect(detectAttachmentType(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]))).toBeNull();
    expect(detectAttachmentType(Buffer.alloc(0))).toBeNull();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), (bytes) => {
        const data = Buffer.concat([Buffer.from([0x00, 0xfe]), Buffer.from(bytes)]);
        expect(detectAttachmentType(data)).toBeNull();
      }),
    );
    expect(detectAttachmentType(randomBytes(4096).fill(0, 0, 1))).toBeNull();
  });

  it('keeps only the last path segment of a file name, without control characters', () => {
    expect(cleanFilename('C:\\Users\\me\\photo.png')).toBe('photo.png');
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('a\u0000b\u001b.png')).toBe('ab.png');
    expect(cleanFilename('')).toBe('attachment');
    expect(cleanFilename('x'.repeat(500))).toHaveLength(200);
  });
});

describe('page language', () => {
  it('takes the best of en/es/fr from Accept-Language, English otherwise', () => {
    expect(negotiateLocale('es-MX,es;q=0.9,en;q=0.8')).toBe('es');
    expect(negotiateLocale('de-DE,de;q=0.9,fr;q=0.5,en;q=0.4')).toBe('fr');
    expect(negotiateLocale('en;q=0.2, fr-CA;q=0.8')).toBe('fr');
    expect(negotiateLocale('fr;q=0, es;q=0.1')).toBe('es');
    expect(negotiateLocale(undefined)).toBe('en');
    expect(negotiateLocale('*')).toBe('en');
    expect(negotiateLocale(';;;,,,q=abc')).toBe('en');
  });
});
