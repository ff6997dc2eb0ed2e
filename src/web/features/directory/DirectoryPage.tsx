import { Center, Loader, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useDirectorySearch, type DirectorySearch } from './directoryApi.js';
import { DirectoryMap } from './DirectoryMap.js';
import { MatchTable } from './MatchTable.js';
import { ReviewsDue } from './ReviewsDue.js';
import { SearchForm } from './SearchForm.js';

export function DirectoryPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState<DirectorySearch | null>(null);
  const results = useDirectorySearch(search);
  return (
    <Stack gap="md">
      <PageHeader title={t('directory.title')} description={t('directory.intro')} />
      <ReviewsDue />
      <Paper withBorder p="md" radius="md">
        <SearchForm full onSearch={setSearch} />
      </Paper>
      {search === null ? null : results.isPending ? (
        <Center py="lg"><Loader aria-label={t('common.loading')} /></Center>
      ) : results.isError ? (
        <ErrorAlert error={results.error} />
      ) : (
        <>
          <Text aria-live="polite" size="sm" c="dimmed">{results.data.items.length === 0 ? t('directory.noResults') : t('directory.results', { count: results.data.total })}</Text>
          {results.data.items.length ? <DirectoryMap items={results.data.items} /> : null}
          {results.data.items.length ? <MatchTable items={results.data.items} /> : null}
        </>
      )}
    </Stack>
  );
}
