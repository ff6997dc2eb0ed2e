import { Button, Center, Divider, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { hasPermission, type Session } from '../auth/session.js';
import { useUsers, type AuditFilters, type AuditPage as AuditPageData } from './adminApi.js';
import { AuditFiltersForm, EMPTY_FILTERS, filtersToQuery } from './AuditFiltersForm.js';
import { AuditTable } from './AuditTable.js';
import { VerifyChain } from './VerifyChain.js';

const PAGE_SIZE = 50;

export function AuditPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AuditFilters>(EMPTY_FILTERS);
  const users = useUsers(hasPermission(session, 'user.list'));

  const audit = useInfiniteQuery({
    queryKey: ['admin', 'audit', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPageData>(
        '/api/admin/audit',
        { ...filtersToQuery(filters), limit: PAGE_SIZE, before: pageParam ?? undefined },
        signal,
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });

  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md">
      <PageHeader title={t('audit.title')} context={t('nav.admin')} description={t('audit.intro')} />
      {hasPermission(session, 'audit.verify') ? (
        <Paper withBorder p="md" radius="md" component="section" aria-label={t('audit.verify')}>
          <VerifyChain />
        </Paper>
      ) : null}
      <Paper withBorder p="md" radius="md">
        <AuditFiltersForm value={filters} onApply={setFilters} users={users.data} />
      </Paper>
      <Divider />
      {audit.isPending ? (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      ) : audit.isError ? (
        <ErrorAlert error={audit.error} />
      ) : (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {entries.length === 0 ? t('audit.empty') : t('audit.showing', { count: entries.length })}
          </Text>
          {entries.length > 0 ? <AuditTable entries={entries} /> : null}
          <Group justify="center">
            {audit.hasNextPage ? (
              <Button variant="default" onClick={() => void audit.fetchNextPage()} loading={audit.isFetchingNextPage}>
                {t('audit.older')}
              </Button>
            ) : entries.length > 0 ? (
              <Text size="sm" c="dimmed">
                {t('audit.end')}
              </Text>
            ) : null}
          </Group>
        </>
      )}
    </Stack>
  );
}
