import { Alert, Anchor, Button, Checkbox, CloseButton, Grid, Group, Loader, Modal, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import type { Session, SessionUser } from '../auth/session.js';
import { CASE_STATUSES, TRAFFICKING_TYPES, useRecentCases, useSavedSearches, useSearchPages, type SearchParams } from '../cases/casesApi.js';
import { SearchResults } from './SearchResults.js';
import { SEARCH_TYPES } from '../../../shared/api/search.js';

const KEYS = ['q', 'types', 'status', 'type', 'area', 'from', 'to', 'assignee'] as const;

/**
 * The one search box with filters, saved searches and recently opened cases. `cases` mode is the case list (cases and
 * the people on them); `all` also searches contacts. The parameters live in the address, so a search can be shared
 * with a colleague or kept as a bookmark.
 */
export function SearchWorkspace({ session, mode }: { session: Session & { user: SessionUser }; mode: 'cases' | 'all' }) {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const params: SearchParams = Object.fromEntries(KEYS.map((k) => [k, searchParams.get(k) ?? undefined]).filter(([, v]) => v));
  if (mode === 'cases') params.types = 'case,person,organisation,place';
  const [draft, setDraft] = useState<SearchParams>(params);
  const results = useSearchPages(params);
  const items = results.data?.pages.flatMap((p) => p.items) ?? [];
  const lastPage = results.data?.pages[results.data.pages.length - 1];
  const [saveOpen, setSaveOpen] = useState(false);

  const apply = (next: SearchParams) => {
    const clean = Object.fromEntries(Object.entries(next).filter(([k, v]) => v && !(mode === 'cases' && k === 'types'))) as Record<string, string>;
    setSearchParams(clean);
    setDraft(next);
  };
  const set = (key: keyof SearchParams) => (value: string | null) => setDraft((d) => ({ ...d, [key]: value || undefined }));
  const types = (draft.types ?? SEARCH_TYPES.join(',')).split(',').filter(Boolean);

  return (
    <Stack gap="md">
      <PageHeader title={mode === 'cases' ? t('cases.title') : t('search.title')} description={mode === 'cases' ? t('cases.description') : t('search.description')} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 9 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="search-form-title">
            <Title order={2} size="h4" id="search-form-title" mb="sm">
              {t('search.formTitle')}
            </Title>
            <form
              role="search"
              onSubmit={(event) => {
                event.preventDefault();
                apply(draft);
              }}
            >
              <Stack gap="sm">
                <Group align="flex-end" gap="sm" wrap="nowrap">
                  <TextInput
                    style={{ flex: 1 }}
                    label={t('search.box')}
                    description={t('search.boxHint')}
                    value={draft.q ?? ''}
                    onChange={(e) => set('q')(e.currentTarget.value)}
                    maxLength={200}
                    data-testid="search-box"
                    autoFocus
                  />
                  <Button type="submit">{t('search.submit')}</Button>
                </Group>
                <Group gap="sm" align="flex-end" wrap="wrap">
                  <Select label={t('search.filter.status')} data={CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.status.${s}`) }))} value={draft.status ?? null} onChange={set('status')} clearable w={170} />
                  <Select label={t('search.filter.type')} data={TRAFFICKING_TYPES.map((s) => ({ value: s, label: t(`cases.traffickingType.${s}`) }))} value={draft.type ?? null} onChange={set('type')} clearable w={150} />
                  <TextInput label={t('search.filter.area')} value={draft.area ?? ''} onChange={(e) => set('area')(e.currentTarget.value)} w={120} maxLength={40} />
                  <TextInput type="date" label={t('search.filter.from')} value={draft.from ?? ''} onChange={(e) => set('from')(e.currentTarget.value)} w={160} />
                  <TextInput type="date" label={t('search.filter.to')} value={draft.to ?? ''} onChange={(e) => set('to')(e.currentTarget.value)} w={160} />
                  <Checkbox label={t('search.filter.mine')} checked={draft.assignee === session.user.id} onChange={(e) => set('assignee')(e.currentTarget.checked ? session.user.id : null)} mb={8} />
                </Group>
                {mode === 'all' ? (
                  <Checkbox.Group label={t('search.filter.types')} value={types} onChange={(v) => setDraft((d) => ({ ...d, types: v.join(',') || undefined }))}>
                    <Group gap="md" mt={4}>
                      {SEARCH_TYPES.map((k) => (
                        <Checkbox key={k} value={k} label={t(`search.typePlural.${k}`)} />
                      ))}
                    </Group>
                  </Checkbox.Group>
                ) : null}
                <Group gap="sm">
                  <Button variant="default" onClick={() => apply({})}>
                    {t('search.clear')}
                  </Button>
                  <Button variant="default" onClick={() => setSaveOpen(true)}>
                    {t('search.save')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Paper>
          <Paper withBorder p="md" radius="md" mt="md" component="section" aria-labelledby="search-results-title" aria-busy={results.isFetching}>
            <Group justify="space-between" mb="sm">
              <Title order={2} size="h4" id="search-results-title">
                {t('search.results')}
              </Title>
              <Text size="sm" c="dimmed" role="status">
                {results.isFetching ? t('common.loading') : results.data ? t('search.count', { count: items.length }) : ''}
              </Text>
            </Group>
            {results.isError ? <ErrorAlert error={results.error} title={t('search.failed')} /> : null}
            {results.isPending ? <Loader size="sm" aria-label={t('common.loading')} /> : null}
            {results.data && items.length === 0 ? <Alert color="gray" variant="light">{params.q ? t('search.nothing') : t('search.nothingFiltered')}</Alert> : null}
            {items.length > 0 ? <SearchResults items={items} caption={t('search.caption')} /> : null}
            {results.hasNextPage ? (
              <Group justify="center" mt="sm">
                <Button variant="default" onClick={() => void results.fetchNextPage()} loading={results.isFetchingNextPage} data-testid="search-more">
                  {t('search.more')}
                </Button>
              </Group>
            ) : null}
            {lastPage && !lastPage.complete ? (
              <Alert color="yellow" variant="light" mt="sm" data-testid="search-incomplete">
                {t('search.incomplete')}
              </Alert>
            ) : null}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 3 }}>
          <Stack gap="md">
            <SavedSearches onPick={(p) => apply(p)} />
            <RecentCases />
          </Stack>
        </Grid.Col>
      </Grid>
      <SaveSearchModal opened={saveOpen} onClose={() => setSaveOpen(false)} params={{ ...params, ...(mode === 'cases' ? { types: undefined } : {}) }} />
    </Stack>
  );
}

function SavedSearches({ onPick }: { onPick: (params: SearchParams) => void }) {
  const { t } = useTranslation();
  const saved = useSavedSearches();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/search/saved/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['search', 'saved'] }),
  });
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="saved-title">
      <Title order={2} size="h5" id="saved-title" mb="xs">
        {t('search.savedTitle')}
      </Title>
      {saved.isError ? <ErrorAlert error={saved.error} title={t('search.failed')} /> : null}
      {saved.data?.length === 0 ? <Text size="sm" c="dimmed">{t('search.savedNone')}</Text> : null}
      <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {saved.data?.map((s) => (
          <Group key={s.id} component="li" justify="space-between" wrap="nowrap" gap={4}>
            <Anchor component="button" type="button" size="sm" onClick={() => onPick(s.params)}>
              {s.name}
            </Anchor>
            <CloseButton size="sm" aria-label={t('search.deleteSaved', { name: s.name })} onClick={() => remove.mutate(s.id)} />
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function RecentCases() {
  const { t } = useTranslation();
  const recent = useRecentCases();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="recent-title">
      <Title order={2} size="h5" id="recent-title" mb="xs">
        {t('search.recentTitle')}
      </Title>
      {recent.data?.length === 0 ? <Text size="sm" c="dimmed">{t('search.recentNone')}</Text> : null}
      <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {recent.data?.map((r) => (
          <li key={r.id}>
            <Anchor component={Link} to={r.type === 'contact' ? `/contacts/${r.id}` : `/cases/${r.id}`} size="sm">
              {r.reference} · {r.type === 'contact' ? `${t(`channel.${r.channel}`, { defaultValue: r.channel ?? '' })}, ${t(`status.${r.status}`, { defaultValue: r.status })}` : r.label}
            </Anchor>
          </li>
        ))}
      </Stack>
    </Paper>
  );
}

function SaveSearchModal({ opened, onClose, params }: { opened: boolean; onClose: () => void; params: SearchParams }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () => api.post('/api/search/saved', { name, params: Object.fromEntries(Object.entries(params).filter(([, v]) => v)) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['search', 'saved'] });
      notifications.show({ color: 'green', message: t('search.savedDone') });
      setName('');
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('search.saveTitle')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim()) save.mutate();
        }}
      >
        <Stack gap="sm">
          <ErrorAlert error={save.error} title={t('search.saveFailed')} />
          <TextInput label={t('search.saveName')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={100} data-autofocus />
          <Text size="xs" c="dimmed">{t('search.saveHint')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
