import { Badge, Button, Center, Loader, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ChannelLabel } from '../intake/ChannelLabel.js';
import { AccessPointModal, type AccessPoint } from './AccessPointModal.js';

export const ACCESS_POINTS_KEY = ['admin', 'access-points'] as const;

export function ChannelsPage() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ACCESS_POINTS_KEY,
    queryFn: ({ signal }) => api.get<{ items: AccessPoint[] }>('/api/admin/access-points', undefined, signal),
    select: (d) => d.items,
  });
  const [editing, setEditing] = useState<AccessPoint | 'new' | null>(null);

  return (
    <Stack gap="md">
      <PageHeader title={t('channels.title')} context={t('nav.admin')} description={t('channels.intro')} actions={<Button onClick={() => setEditing('new')}>{t('channels.add')}</Button>} />
      {list.isPending ? (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : list.data.length === 0 ? (
        <Text>{t('channels.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped verticalSpacing="sm" captionSide="top">
            <Table.Caption className="visually-hidden">{t('channels.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('channels.name')}</Table.Th>
                <Table.Th scope="col">{t('channels.channel')}</Table.Th>
                <Table.Th scope="col">{t('channels.address')}</Table.Th>
                <Table.Th scope="col">{t('channels.team')}</Table.Th>
                <Table.Th scope="col">{t('channels.secret')}</Table.Th>
                <Table.Th scope="col">{t('channels.status')}</Table.Th>
                <Table.Th scope="col">
                  <span className="visually-hidden">{t('users.actions')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((point) => (
                <Table.Tr key={point.id}>
                  <Table.Th scope="row">{point.name}</Table.Th>
                  <Table.Td>
                    <ChannelLabel channel={point.channel} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {point.address}
                    </Text>
                  </Table.Td>
                  <Table.Td>{point.team ?? t('channels.noTeam')}</Table.Td>
                  <Table.Td>{point.secretHint ? t('channels.secretSet', { hint: point.secretHint }) : t('channels.secretNone')}</Table.Td>
                  <Table.Td>
                    <Badge color={point.isActive ? 'green' : 'gray'} variant="light">
                      {point.isActive ? t('channels.active') : t('channels.inactive')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setEditing(point)} aria-label={t('channels.editOne', { name: point.name })}>
                      {t('channels.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AccessPointModal value={editing} onClose={() => setEditing(null)} />
    </Stack>
  );
}
