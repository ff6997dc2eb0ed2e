import { Anchor, Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatDateTime } from '../../i18n/format.js';
import type { CaseRecord, TimelineEntry } from './casesApi.js';

/** Contacts, status changes, people, notes and break-glass events in one chronological list, oldest first. */
export function CaseTimeline({ record, userId }: { record: CaseRecord; userId: string }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const roleOf = new Map(record.people.map((p) => [p.id, p.role]));
  const contactRef = new Map(record.contacts.map((c) => [c.id, c.reference]));

  const describe = (e: TimelineEntry) => {
    const d = e.data as Record<string, string>;
    switch (e.kind) {
      case 'contact':
        return (
          <>
            {t('cases.event.contact', { channel: t(`channel.${d.channel}`, { defaultValue: d.channel }) })}{' '}
            <Anchor component={Link} to={`/contacts/${d.contactId}`}>{d.reference}</Anchor>
          </>
        );
      case 'contact_linked':
        return (
          <>
            {t('cases.event.contact_linked')}{' '}
            <Anchor component={Link} to={`/contacts/${d.contactId}`}>{contactRef.get(d.contactId) ?? t('cases.event.aContact')}</Anchor>
          </>
        );
      case 'status':
        return d.from ? t('cases.event.status_changed', { from: t(`cases.status.${d.from}`), to: t(`cases.status.${d.to}`) }) : t('cases.event.opened');
      case 'person_added':
        return t('cases.event.person_added', { role: t(`cases.role.${d.role ?? roleOf.get(d.personId) ?? 'other'}`) });
      case 'note':
        return t('cases.event.note');
      case 'break_glass':
        return t('cases.event.break_glass');
      case 'entity_added':
        return t(`search.entities.added.${d.kind === 'place' ? 'place' : 'organisation'}`);
      default:
        return e.kind;
    }
  };

  return (
    <Timeline bulletSize={14} lineWidth={2} data-testid="case-timeline">
      {record.timeline.map((e, index) => (
        <Timeline.Item key={`${e.at}:${index}`} title={<Text size="sm" fw={600} component="span">{describe(e)}</Text>}>
          <Text size="xs" c="dimmed">
            {formatDateTime(e.at)}
            {e.actorId ? ` · ${e.actorId === userId ? t('cases.event.byYou') : t('cases.event.byColleague')}` : ''}
          </Text>
          {e.body ? (
            <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
              {e.body}
            </Text>
          ) : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
