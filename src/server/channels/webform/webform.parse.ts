import type { FastifyRequest } from 'fastify';
import { ATTACHMENT_LIMITS } from './webform.files.js';

export interface UploadedFile {
  filename: string;
  data: Buffer;
}

export interface Submission {
  fields: Record<string, string>;
  files: UploadedFile[];
}

/** Why a body could not be read: each maps to one status and one message the person can act on. */
export type ReadFailure = 'file_too_large' | 'too_many_files' | 'too_large' | 'unreadable' | 'unsupported';

/** Text fields are bounded well above what the form allows, so a long text gets a clear message, not a cut. */
export const MULTIPART_LIMITS = {
  fieldSize: 64 * 1024,
  fields: 40,
  files: ATTACHMENT_LIMITS.maxFiles,
  fileSize: ATTACHMENT_LIMITS.maxBytes,
  parts: 50,
  fieldNameSize: 100,
  headerPairs: 50,
};

/**
 * Reads a form post: multipart (the form as browsers send it, with files) or URL-encoded (a form without files).
 * Every failure of the body — a torn multipart stream, too many parts, a file over the limit — is a typed result,
 * never an exception, so a broken upload is a 4xx and never a 5xx. Only the first value of a repeated field counts.
 * On failure, the text fields read so far come back too, so the person's words can be shown again.
 */
export async function readSubmission(request: FastifyRequest): Promise<{ ok: true; value: Submission } | { ok: false; reason: ReadFailure; fields: Record<string, string> }> {
  const fields: Record<string, string> = Object.create(null);
  const files: UploadedFile[] = [];
  if (!request.isMultipart()) {
    const body = request.body;
    if (body === undefined || body === null) return { ok: true, value: { fields, files } };
    if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) return { ok: false, reason: 'unsupported', fields };
    if (!String(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return { ok: false, reason: 'unsupported', fields };
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first === 'string' && !(name in fields)) fields[name] = first;
    }
    return { ok: true, value: { fields, files } };
  }
  try {
    for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        // A file input left empty still sends one part with no name and no bytes.
        if (data.length === 0 && !part.filename) continue;
        files.push({ filename: part.filename ?? '', data });
      } else {
        if (part.valueTruncated) return { ok: false, reason: 'too_large', fields };
        if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') return { ok: false, reason: 'file_too_large', fields };
    if (code === 'FST_FILES_LIMIT') return { ok: false, reason: 'too_many_files', fields };
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return { ok: false, reason: 'too_large', fields };
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return { ok: false, reason: 'unsupported', fields };
    // Busboy's own errors (a torn stream, a malformed header, a missing boundary) and a client that went away.
    return { ok: false, reason: 'unreadable', fields };
  }
  return { ok: true, value: { fields, files } };
}
