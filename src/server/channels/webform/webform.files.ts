/**
 * Attachments a tipster may send: photos, PDF documents and plain text. The type is decided by the file's first
 * bytes, never by its name or the browser's claim; what we store is the detected type.
 */
export const ATTACHMENT_LIMITS = { maxFiles: 3, maxBytes: 5 * 1024 * 1024 };

export type AttachmentType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' | 'text/plain';

const startsWith = (data: Buffer, bytes: number[], at = 0) => data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);

/** The type of the bytes, or null when they are none of the accepted kinds. */
export function detectAttachmentType(data: Buffer): AttachmentType | null {
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0x52, 0x49, 0x46, 0x46]) && startsWith(data, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return isPlainText(data) ? 'text/plain' : null;
}

/** UTF-8 (optionally with a BOM) without NUL or other control characters than tab, line feed, carriage return, form feed. */
function isPlainText(data: Buffer): boolean {
  if (data.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return false;
  }
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

/** A file name safe to keep and to show: no path, no control characters, at most 200 characters. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'attachment';
}
