import { sql, type Kysely } from 'kysely';

// The foundation: tenants (hotlines), their data keys, staff accounts, sessions, the audit chain and permission rules.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create extension if not exists fuzzystrmatch`.execute(db);

  await db.schema
    .createTable('hotline')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('locales', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{en,es,fr}'`))
    .addColumn('default_locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Per-hotline keys ('data' for AES-256-GCM field encryption, 'index' for HMAC blind indexes), wrapped by the master key.
  await db.schema
    .createTable('hotline_key')
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('data', 'index')`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', 'bytea', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('is_current', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('hotline_key_pk', ['hotline_id', 'purpose', 'version'])
    .execute();

  await db.schema
    .createTable('organisation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('partner'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('organisation_hotline_idx').on('organisation').column('hotline_id').execute();

  await db.schema
    .createTable('app_user')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('roles', sql`text[]`, (c) => c.notNull())
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisation.id'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('totp_secret', 'bytea')
    .addColumn('totp_pending_secret', 'bytea')
    .addColumn('totp_last_counter', 'bigint')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_sign_in_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('app_user_email_lower', sql`email = lower(email)`)
    .execute();
  await db.schema.createIndex('app_user_hotline_idx').on('app_user').column('hotline_id').execute();

  await db.schema
    .createTable('user_session')
    .addColumn('id', 'text', (c) => c.primaryKey()) // SHA-256 of the cookie token: a database leak yields no usable session
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('mfa_required', 'mfa_enrol_required', 'signed_in')`))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_session_user_idx').on('user_session').column('user_id').execute();

  // The audit log: rows are inserted in the transaction of the work they describe (no lock, no waiting), then a
  // sealer chains them, in commit-safe order, into one hash chain per hotline (chain = hotline id, or 'install').
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tx', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('hotline_id', 'uuid', (c) => c.references('hotline.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text')
    .addColumn('record_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('details', 'jsonb')
    .addColumn('ip', 'text')
    .addColumn('seq', 'bigint')
    .addColumn('prev_hash', 'bytea')
    .addColumn('hash', 'bytea')
    .execute();
  await sql`create unique index audit_log_chain_seq_idx on audit_log (chain, seq) where seq is not null`.execute(db);
  await sql`create index audit_log_unsealed_idx on audit_log (tx, id) where hash is null`.execute(db);
  await db.schema.createIndex('audit_log_hotline_id_idx').on('audit_log').columns(['hotline_id', 'id']).execute();
  await db.schema.createIndex('audit_log_record_idx').on('audit_log').columns(['hotline_id', 'record_type', 'record_id']).execute();
  await db.schema
    .createTable('audit_head')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'bytea', (c) => c.notNull())
    .execute();
  // Append-only: the one update allowed is sealing (setting seq and hashes once, nothing else changing).
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.hash is null and new.hash is not null and new.seq is not null
         and row(new.id, new.tx, new.chain, new.hotline_id, new.at, new.actor_id, new.actor_label, new.action,
                 new.record_type, new.record_id, new.reason, new.details, new.ip)
             is not distinct from
             row(old.id, old.tx, old.chain, old.hotline_id, old.at, old.actor_id, old.actor_label, old.action,
                 old.record_type, old.record_id, old.reason, old.details, old.ip) then
        return new;
      end if;
      raise exception 'audit_log is append-only';
    end $$`.execute(db);
  await sql`create trigger audit_log_no_update before update or delete on audit_log
            for each row execute function audit_log_append_only()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
            for each statement execute function audit_log_append_only()`.execute(db);

  await db.schema
    .createTable('permission_rule_set')
    .addColumn('hotline_id', 'uuid', (c) => c.primaryKey().references('hotline.id').onDelete('cascade'))
    .addColumn('rules', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'uuid')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['permission_rule_set', 'audit_head', 'audit_log', 'user_session', 'app_user', 'organisation', 'hotline_key', 'hotline']) {
    await db.schema.dropTable(table).ifExists().cascade().execute();
  }
  await sql`drop function if exists audit_log_append_only`.execute(db);
}
