import { Anchor, Badge, Checkbox, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { needLabel, useNeeds, type DirectoryMatch, type MatchReason } from './directoryApi.js';

const REASON_COLOR: Partial<Record<MatchReason['code'], string>> = { need: 'blue', covers_area: 'green', open_now: 'green', speaks_language: 'green', accepts: 'green', vetted: 'teal', closed_now: 'orange', not_vetted: 'orange' };

export function ReasonBadges({ reasons }: { reasons: MatchReason[] }) {
  const { t, i18n } = useTranslation();
  const needs = useNeeds();
  const text = (r: MatchReason): string => {
    switch (r.code) {
      case 'need': return t('directory.reason.need', { needs: r.needs.map((n) => needLabel(needs.data, n, i18n.resolvedLanguage ?? 'en')).join(', ') });
      case 'covers_area': return t('directory.reason.covers_area', { area: r.area });
      case 'distance': return t('directory.reason.distance', { km: r.km });
      case 'speaks_language': return t('directory.reason.speaks_language', { language: r.language });
      case 'accepts': case 'accepts_unknown': return t(`directory.reason.${r.code}`, { who: t(`directory.accepts.${r.flag}`, { defaultValue: r.flag }) });
      default: return t(`directory.reason.${r.code}`);
    }
  };
  return (
    <Group gap={4} wrap="wrap">
      {reasons.map((r, i) => (
        <Badge key={i} variant="light" color={REASON_COLOR[r.code] ?? 'gray'} tt="none" data-reason={r.code}>
          {text(r)}
        </Badge>
      ))}
    </Group>
  );
}

interface MatchTableProps {
  items: DirectoryMatch[];
  selected?: string[];
  onToggle?: (serviceId: string) => void;
}

export function MatchTable({ items, selected, onToggle }: MatchTableProps) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table verticalSpacing="sm" data-testid="match-table">
        <Table.Caption className="visually-hidden">{t('directory.resultsCaption', { count: items.length })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {onToggle ? <Table.Th scope="col">{t('directory.col.choose')}</Table.Th> : null}
            <Table.Th scope="col">{t('directory.col.service')}</Table.Th>
            <Table.Th scope="col">{t('directory.col.score')}</Table.Th>
            <Table.Th scope="col">{t('directory.col.reasons')}</Table.Th>
            <Table.Th scope="col">{t('directory.col.review')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((m) => (
            <Table.Tr key={m.serviceId} data-service-id={m.serviceId}>
              {onToggle ? (
                <Table.Td>
                  <Checkbox aria-label={t('directory.choose', { name: m.serviceName })} checked={selected?.includes(m.serviceId) ?? false} onChange={() => onToggle(m.serviceId)} />
                </Table.Td>
              ) : null}
              <Table.Th scope="row" fw={400}>
                <Text fw={600}>{m.serviceName}</Text>
                <Anchor component={Link} to={`/directory/partners/${m.organizationId}`} size="sm">
                  {m.organizationName}
                </Anchor>
              </Table.Th>
              <Table.Td>{m.score}</Table.Td>
              <Table.Td>
                <ReasonBadges reasons={m.reasons} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{t(`directory.vetting.${m.vettingStatus ?? 'prospective'}`)}</Text>
                {m.reviewDueOn ? <Text size="sm" c="dimmed">{t('directory.reviewDue', { date: m.reviewDueOn })}</Text> : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
