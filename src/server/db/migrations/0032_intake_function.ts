import { sql, type Kysely } from 'kysely';

// Intake in one round trip (issue 3). Recording signals took five to eight statements per transaction (begin, a lock
// per thread key, look-ups, inserts, commit); on a two-core machine each round trip costs the Node process a socket
// write that wakes PostgreSQL, and that write was the intake server's largest single cost at 1,000 webhooks/s.
// `intake_record_signals` does the whole recording in ONE call, which PostgreSQL runs as its own transaction:
//   1. takes a transaction lock per thread key (sorted, so two calls cannot deadlock; the same key as every other
//      writer of a thread: hashtextextended(hex of the blind index, 0));
//   2. in a NEW statement (so it sees what a call that held the lock before it committed): with p_find_retries, answers
//      deliveries already stored (a provider's retry of the same MessageSid/CallSid) as duplicates — a look-up that
//      cost PostgreSQL 15 points of CPU at 1,000 signals/s, so callers ask for it only after the unique index refused a
//      call (batch.ts) — then finds each thread key's latest thread
//      and its open contact, opens what is missing — the first signal of a correspondent in the call opens the
//      thread and contact that the next ones from them join — and writes threads, contacts, messages, audit entries
//      and live events.
// The arguments are parallel arrays, one element per signal, in arrival order; the result has one row per signal.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function intake_record_signals(
      p_hotline uuid[], p_channel text[], p_access_point uuid[], p_thread_index bytea[], p_correspondent bytea[],
      p_subject bytea[], p_received_at timestamptz[], p_body bytea[], p_external_id text[], p_priority int[],
      p_sla_due_at timestamptz[], p_team text[], p_language text[], p_request_type text[], p_flags jsonb[],
      p_source text[], p_ip text[], p_live_channel text, p_find_retries boolean)
    returns table (ord int, thread_id uuid, contact_id uuid, contact_number bigint, message_id uuid, is_new_contact boolean, is_duplicate boolean)
    -- Planning the big statement costs about 3 ms, more than running it for a few signals: the plan is made once per
    -- connection and kept (force_generic_plan). Every table here is reached by key; a plan made while the tables were
    -- small and not yet analysed chose to scan contact_message whole for retries, which grows with the table
    -- (measured: 5.5 ms at 10,000 messages), so the planner is kept off sequential scans.
    language plpgsql volatile set enable_seqscan = off set plan_cache_mode = force_generic_plan as $fn$
    #variable_conflict use_column
    begin
      perform count(pg_advisory_xact_lock(h))
      from (select distinct hashtextextended(encode(k, 'hex'), 0) as h from unnest(p_thread_index) as k where k is not null order by 1) as keys;

      return query
      with sig as materialized (
        select s.ord::int as ord, s.hotline_id, s.channel, s.access_point_id, s.idx, s.correspondent, s.subject, s.received_at,
          s.body, s.external_id, s.priority, s.sla_due_at, s.team, s.language, s.request_type, s.flags, s.source, s.ip,
          -- Signals with one thread key form a group; a signal without a key is a group of its own.
          case when s.idx is null then 'signal:' || s.ord else s.hotline_id || '|' || s.channel || '|' || encode(s.idx, 'hex') end as key
        from unnest(p_hotline, p_channel, p_access_point, p_thread_index, p_correspondent, p_subject, p_received_at, p_body,
          p_external_id, p_priority, p_sla_due_at, p_team, p_language, p_request_type, p_flags, p_source, p_ip) with ordinality
          as s(hotline_id, channel, access_point_id, idx, correspondent, subject, received_at, body, external_id, priority,
            sla_due_at, team, language, request_type, flags, source, ip, ord)
      ), dup as materialized (
        select s.ord, m.id as message_id, m.thread_id, m.contact_id, c.number
        from sig s
        join contact_message m on m.hotline_id = s.hotline_id and m.external_id = s.external_id
        join contact c on c.id = m.contact_id
        where p_find_retries and s.external_id is not null
      ), fresh as materialized (
        select s.*, case when s.body is not null or s.external_id is not null then gen_random_uuid() end as message_id
        from sig s where not exists (select 1 from dup d where d.ord = s.ord)
      ), grp as materialized (
        select distinct on (f.key) f.key, f.ord as leader, f.hotline_id, f.channel, f.access_point_id, f.idx, f.correspondent, f.subject,
          max(f.received_at) over (partition by f.key) as last_at
        from fresh f order by f.key, f.ord
      ), plan as materialized (
        select g.key, g.leader, coalesce(t.id, gen_random_uuid()) as thread_id, t.id is null as new_thread,
          coalesce(c.id, gen_random_uuid()) as contact_id, c.id is null as new_contact, c.number
        from grp g
        left join lateral (
          select t.id from contact_thread t
          where g.idx is not null and t.hotline_id = g.hotline_id and t.channel = g.channel and t.correspondent_index = g.idx
          order by t.last_activity_at desc limit 1
        ) t on true
        left join lateral (
          select c.id, c.number from contact c where c.thread_id = t.id and c.status <> 'closed' order by c.received_at desc limit 1
        ) c on true
      ), new_threads as (
        insert into contact_thread (id, hotline_id, channel, access_point_id, correspondent_index, correspondent, subject, last_activity_at)
        select p.thread_id, g.hotline_id, g.channel, g.access_point_id, g.idx, g.correspondent, g.subject, g.last_at
        from plan p join grp g on g.key = p.key where p.new_thread
      ), touched as (
        update contact_thread t set last_activity_at = greatest(t.last_activity_at, g.last_at)
        from plan p join grp g on g.key = p.key where not p.new_thread and t.id = p.thread_id
      ), new_contacts as (
        insert into contact (id, hotline_id, thread_id, access_point_id, channel, direction, status, priority, received_at, sla_due_at, team, language, request_type, flags, updated_at)
        select p.contact_id, s.hotline_id, p.thread_id, s.access_point_id, s.channel, 'inbound', 'waiting', s.priority, s.received_at,
          s.sla_due_at, s.team, s.language, s.request_type, coalesce(s.flags, '{}'::jsonb), now()
        from plan p join fresh s on s.ord = p.leader where p.new_contact
        returning id, number
      ), result as materialized (
        select s.ord, p.thread_id, p.contact_id, coalesce(p.number, n.number) as contact_number, s.message_id,
          (s.ord = p.leader and p.new_contact) as is_new_contact, false as is_duplicate, s.hotline_id, s.channel, s.body, s.external_id,
          s.received_at, s.source, s.ip
        from fresh s join plan p on p.key = s.key left join new_contacts n on n.id = p.contact_id
      ), messages as (
        insert into contact_message (id, hotline_id, thread_id, contact_id, direction, body, external_id, created_at)
        select r.message_id, r.hotline_id, r.thread_id, r.contact_id, 'inbound', r.body, r.external_id, r.received_at
        from result r where r.message_id is not null
      ), audit as (
        insert into audit_log (chain, hotline_id, at, actor_id, actor_label, action, record_type, record_id, details, ip)
        select r.hotline_id::text, r.hotline_id, now(), null, r.source,
          case when r.is_new_contact then 'contact.create' else 'contact.message_received' end, 'contact', r.contact_id::text,
          jsonb_build_object('channel', r.channel), r.ip
        from result r order by r.ord
      ), notified as (
        -- Live events, in arrival order; only ids and states, never personal data.
        select count(pg_notify(p_live_channel, json_build_object('hotlineId', e.hotline_id,
          'kind', case when e.is_new_contact then 'contact.created' else 'contact.message' end,
          'contactId', e.contact_id, 'status', 'waiting', 'at', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text)) as n
        from (select * from result order by ord) as e
      )
      select r.ord, r.thread_id, r.contact_id, r.contact_number, r.message_id, r.is_new_contact, r.is_duplicate
      from result r
      -- An unreferenced SELECT in a WITH is never run: this condition (always true) makes the notifications happen.
      where (select n from notified) >= 0
      union all
      select d.ord, d.thread_id, d.contact_id, d.number, d.message_id, false, true from dup d
      order by 1;
    end
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists intake_record_signals`.execute(db);
}
