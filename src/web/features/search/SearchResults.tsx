import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatDateTime } from '../../i18n/format.js';
import type { SearchHit, SearchReason } from '../cases/casesApi.js';

const TYPE_COLOURS: Record<SearchHit['type'], string> = { case: 'blue', person: 'grape', contact: 'gray', organisation: 'teal', place: 'orange' };

/** A reason a record matched, in the reader's language ("name 92% similar on K-1042"). */
export function useReasonText() {
  const { t } = useTranslation();
  return (reason: SearchReason) => {
    const on = 'on' in reason && reason.on ? t('search.reasonOn', { reference: reason.on }) : '';
    switch (reason.code) {
      case 'name_similar':
        return t('search.reason.name_similar', { percent: reason.percent }) + on;
      case 'text_match':
        return t(`search.reason.text_${reason.field}`);
      default:
        return t(`search.reason.${reason.code}`) + on;
    }
  };
}

/** Where a hit leads: a case to its page, a person, organisation or place to their (first) case, a contact to its page. */
export function hitHref(hit: SearchHit) {
  if (hit.type === 'contact') return `/contacts/${hit.id}`;
  return hit.caseId ? `/cases/${hit.caseId}` : null;
}

export function SearchResults({ items, caption }: { items: SearchHit[]; caption: string }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const reasonText = useReasonText();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid="search-results">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('search.col.record')}</Table.Th>
            <Table.Th scope="col">{t('search.col.label')}</Table.Th>
            <Table.Th scope="col">{t('search.col.status')}</Table.Th>
            <Table.Th scope="col">{t('search.col.date')}</Table.Th>
            <Table.Th scope="col">{t('search.col.why')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((hit) => {
            const href = hitHref(hit);
            return (
              <Table.Tr key={`${hit.type}:${hit.id}`} data-testid="search-hit">
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Badge variant="light" color={TYPE_COLOURS[hit.type]} size="sm">
                      {t(`search.type.${hit.type}`)}
                    </Badge>
                    {href ? (
                      <Anchor component={Link} to={href} fw={600} style={{ whiteSpace: 'nowrap' }}>
                        {hit.reference}
                      </Anchor>
                    ) : (
                      <Text span fw={600}>{hit.reference}</Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{hit.label}</Text>
                  {hit.type !== 'case' && hit.cases.length > 0 ? (
                    <Text size="xs" c="dimmed">
                      {t('search.onCases', { references: hit.cases.map((c) => c.reference).join(', ') })}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{hit.status ? t(`cases.status.${hit.status}`, { defaultValue: t(`status.${hit.status}`, { defaultValue: hit.status }) }) : '—'}</Table.Td>
                <Table.Td>{hit.at ? formatDateTime(hit.at) : '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm">{hit.reasons.map(reasonText).join(' · ')}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
