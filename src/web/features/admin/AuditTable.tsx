import { Code, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDateTime } from '../../i18n/format.js';
import type { AuditEntry } from './adminApi.js';

function hasDetails(details: unknown): boolean {
  if (details === null || details === undefined) return false;
  if (typeof details === 'object') return Object.keys(details as object).length > 0;
  return true;
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useFormatDateTime();

  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped verticalSpacing="xs" captionSide="top">
        <Table.Caption className="visually-hidden">{t('audit.tableCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">#</Table.Th>
            <Table.Th scope="col">{t('audit.time')}</Table.Th>
            <Table.Th scope="col">{t('audit.actor')}</Table.Th>
            <Table.Th scope="col">{t('audit.action')}</Table.Th>
            <Table.Th scope="col">{t('audit.record')}</Table.Th>
            <Table.Th scope="col">{t('audit.reason')}</Table.Th>
            <Table.Th scope="col">{t('audit.ip')}</Table.Th>
            <Table.Th scope="col">{t('audit.details')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const actionKey = `auditActions.${entry.action}`;
            return (
              <Table.Tr key={entry.seq}>
                <Table.Td>{entry.seq}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </Table.Td>
                <Table.Td>{entry.actorLabel ?? entry.actorId ?? t('audit.system')}</Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    {entry.action.includes('.') && i18n.exists(actionKey) ? <Text size="sm">{t(actionKey)}</Text> : null}
                    <Code>{entry.action}</Code>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {entry.recordType ? (
                    <Text size="sm" style={{ wordBreak: 'break-all' }}>
                      {entry.recordType}
                      {entry.recordId ? ` · ${entry.recordId}` : ''}
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>{entry.reason || '—'}</Table.Td>
                <Table.Td>{entry.ip || '—'}</Table.Td>
                <Table.Td>
                  {hasDetails(entry.details) ? (
                    <details>
                      <summary>{t('audit.showDetails')}</summary>
                      <pre className="audit-details">{JSON.stringify(entry.details, null, 2)}</pre>
                    </details>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
