import { sql } from 'kysely';
import type { Db } from '../db/db.js';
import type { KeyStore } from './keystore.js';
import { fieldKeyVersion } from './envelope.js';

/**
 * Every encrypted column, by table. The field name is the additional authenticated data of its ciphertexts
 * (`<hotline id>|<field>`). A capability that adds an encrypted column lists it here, so key rotation re-encrypts it.
 */
export const ENCRYPTED_FIELDS: { table: string; column: string; field: string }[] = [
  { table: 'app_user', column: 'totp_secret', field: 'app_user.totp_secret' },
  { table: 'app_user', column: 'totp_pending_secret', field: 'app_user.totp_pending_secret' },
  { table: 'access_point', column: 'secret', field: 'access_point.secret' },
  { table: 'contact_thread', column: 'correspondent', field: 'contact_thread.correspondent' },
  { table: 'contact_thread', column: 'subject', field: 'contact_thread.subject' },
  { table: 'contact', column: 'summary', field: 'contact.summary' },
  { table: 'contact', column: 'notes', field: 'contact.notes' },
  { table: 'contact', column: 'form_data', field: 'contact.form_data' },
  { table: 'contact_message', column: 'body', field: 'contact_message.body' },
  { table: 'contact_transfer', column: 'note', field: 'contact_transfer.note' },
  { table: 'attachment', column: 'filename', field: 'attachment.filename' },
  { table: 'attachment', column: 'data', field: 'attachment.data' },
  { table: 'media_fetch', column: 'url', field: 'media_fetch.url' },
  { table: 'api_key', column: 'secret', field: 'api_key.secret' },
  { table: 'chat_session', column: 'nickname', field: 'chat_session.nickname' },
  { table: 'hotline_case', column: 'title', field: 'hotline_case.title' },
  { table: 'person', column: 'details', field: 'person.details' },
  { table: 'case_entity', column: 'details', field: 'case_entity.details' },
  { table: 'case_event', column: 'body', field: 'case_event.body' },
  { table: 'saved_search', column: 'name', field: 'saved_search.name' },
  { table: 'saved_search', column: 'params', field: 'saved_search.params' },
  { table: 'assessment', column: 'answers', field: 'assessment.answers' },
  { table: 'assessment', column: 'result', field: 'assessment.result' },
  { table: 'assessment_override', column: 'reason', field: 'assessment_override.reason' },
  { table: 'task', column: 'skip_reason', field: 'task.skip_reason' },
  { table: 'consent', column: 'scope_note', field: 'consent.scope_note' },
  { table: 'report', column: 'exception_note', field: 'report.exception_note' },
  { table: 'report', column: 'refusal_reason', field: 'report.refusal_reason' },
  { table: 'email_message', column: 'address', field: 'email_message.address' },
  { table: 'email_message', column: 'subject', field: 'email_message.subject' },
  { table: 'email_message', column: 'rfc_message_id', field: 'email_message.rfc_message_id' },
  { table: 'email_message', column: 'rfc_references', field: 'email_message.rfc_references' },
  { table: 'referral', column: 'shared_data', field: 'referral.shared_data' },
  { table: 'referral', column: 'response_note', field: 'referral.response_note' },
  { table: 'referral', column: 'outcome_note', field: 'referral.outcome_note' },
  { table: 'referral_job', column: 'payload', field: 'referral_job.payload' },
];

/** Re-encrypts every value that is not under its hotline's current data key. Safe to run while servers are up. */
export async function reencryptAll(db: Db, keys: KeyStore, currentVersions: Map<string, number>, onProgress?: (done: number, total: number) => void) {
  const any = db as unknown as import('kysely').Kysely<any>;
  let total = 0;
  for (const f of ENCRYPTED_FIELDS) {
    const { n } = await any.selectFrom(f.table).select(sql<string>`count(*)`.as('n')).where(f.column, 'is not', null).executeTakeFirstOrThrow();
    total += Number(n);
  }
  let done = 0;
  let rewritten = 0;
  for (const f of ENCRYPTED_FIELDS) {
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows = await any.selectFrom(f.table).select(['id', 'hotline_id', f.column]).where(f.column, 'is not', null).where('id', '>', after).orderBy('id').limit(500).execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const sealed = row[f.column] as Buffer;
        if (fieldKeyVersion(sealed) !== currentVersions.get(row.hotline_id)) {
          const plain = await keys.decryptBytes(row.hotline_id, f.field, sealed);
          const resealed = await keys.encrypt(row.hotline_id, f.field, plain);
          // Compare-and-set: a value changed by a user meanwhile is left as it is (it is already under the new key).
          await any.updateTable(f.table).set({ [f.column]: resealed }).where('id', '=', row.id).where(f.column, '=', sealed).execute();
          rewritten++;
        }
        done++;
        onProgress?.(done, total);
      }
      after = rows[rows.length - 1].id;
    }
  }
  return { checked: done, rewritten };
}
