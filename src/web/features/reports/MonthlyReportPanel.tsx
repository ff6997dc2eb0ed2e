import { Anchor, Button, Group, List, MultiSelect, NativeSelect, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { hasPermission, type Session, type SessionUser } from '../auth/session.js';
import type { Filters } from './AnalysisDashboard.js';
import { useAreaNames } from './ReportsPage.js';

interface Schedule {
  id: string;
  locale: 'en' | 'es' | 'fr';
  recipientIds: string[];
  isActive: boolean;
}

function lastMonth(): string {
  const d = new Date();
  return new Date(Date.UTC(d.getFullYear(), d.getMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** The monthly operations report: download now (with the analysis filters), and the schedule on the 1st. */
export function MonthlyReportPanel({ session, filters }: { session: Session & { user: SessionUser }; filters: Filters }) {
  const { t, i18n } = useTranslation();
  const areaNames = useAreaNames();
  const [month, setMonth] = useState(filters.from.slice(0, 7) || lastMonth());
  const [locale, setLocale] = useState<string>(i18n.resolvedLanguage ?? 'en');
  const params = new URLSearchParams({ month, locale });
  if (filters.area) params.set('area', filters.area);
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.requestType) params.set('requestType', filters.requestType);
  if (filters.traffickingType) params.set('traffickingType', filters.traffickingType);
  const href = (format: 'pdf' | 'xlsx') => `/api/metrics/reports/monthly?${params.toString()}&format=${format}`;
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const applied = [filters.area && (areaNames[filters.area] ?? filters.area), filters.channel && t(`channel.${filters.channel}`), filters.requestType && t(`requestType.${filters.requestType}`), filters.traffickingType && t(`reports.category.${filters.traffickingType}`)].filter(Boolean);
  const deliveries = useQuery({ queryKey: ['metrics', 'deliveries'], queryFn: ({ signal }) => api.get<{ items: { id: string; month: string; status: string }[] }>('/api/metrics/deliveries', undefined, signal) });

  return (
    <Stack gap="md" maw={900}>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="monthly-download">
        <Title order={2} size="h4" id="monthly-download" mb="xs">
          {t('reports.monthly.download')}
        </Title>
        <Text size="sm" mb="sm">
          {t('reports.monthly.explain')}
        </Text>
        <Text size="sm" mb="sm" data-testid="monthly-filters">
          {t('reports.monthly.filters', { filters: applied.length ? applied.join(', ') : t('reports.monthly.noFilters') })}
        </Text>
        <Group align="flex-end" gap="sm">
          <TextInput type="month" label={t('reports.monthly.month')} value={month} onChange={(e) => setMonth(e.currentTarget.value)} required />
          <NativeSelect label={t('reports.monthly.language')} value={locale} onChange={(e) => setLocale(e.currentTarget.value)} data={[{ value: 'en', label: 'English' }, { value: 'es', label: 'Español' }, { value: 'fr', label: 'Français' }]} />
          <Button component="a" href={valid ? href('pdf') : undefined} download aria-disabled={!valid} data-testid="download-pdf">
            {t('reports.monthly.pdf')}
          </Button>
          <Button component="a" variant="default" href={valid ? href('xlsx') : undefined} download aria-disabled={!valid}>
            {t('reports.monthly.xlsx')}
          </Button>
        </Group>
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="monthly-stored">
        <Title order={2} size="h4" id="monthly-stored" mb="xs">
          {t('reports.monthly.stored')}
        </Title>
        {deliveries.isError ? <ErrorAlert error={deliveries.error} /> : null}
        {deliveries.data && deliveries.data.items.length === 0 ? <Text size="sm">{t('reports.monthly.noneStored')}</Text> : null}
        <List>
          {deliveries.data?.items.map((d) => (
            <List.Item key={d.id}>
              {d.month}:{' '}
              {d.status === 'done' ? (
                <>
                  <Anchor href={`/api/metrics/deliveries/${d.id}/pdf`}>PDF</Anchor> · <Anchor href={`/api/metrics/deliveries/${d.id}/xlsx`}>XLSX</Anchor>
                </>
              ) : (
                t(`reports.monthly.status.${d.status}`, { defaultValue: d.status })
              )}
            </List.Item>
          ))}
        </List>
      </Paper>

      {hasPermission(session, 'metrics.schedule') ? <ScheduleForm canListUsers={hasPermission(session, 'user.list')} /> : null}
    </Stack>
  );
}

function ScheduleForm({ canListUsers }: { canListUsers: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const schedule = useQuery({ queryKey: ['metrics', 'schedule'], queryFn: ({ signal }) => api.get<{ schedule: Schedule | null }>('/api/metrics/schedule', undefined, signal) });
  const users = useQuery({ queryKey: ['metrics', 'schedule-users'], enabled: canListUsers, queryFn: ({ signal }) => api.get<{ items: { id: string; displayName: string; email: string; isActive: boolean }[] }>('/api/admin/users', undefined, signal) });
  const [recipients, setRecipients] = useState<string[]>([]);
  const [locale, setLocale] = useState('en');
  const [active, setActive] = useState(true);
  useEffect(() => {
    const s = schedule.data?.schedule;
    if (s) {
      setRecipients(s.recipientIds);
      setLocale(s.locale);
      setActive(s.isActive);
    }
  }, [schedule.data]);
  const save = useMutation({
    mutationFn: () => api.put('/api/metrics/schedule', { recipientIds: recipients, locale, isActive: active }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('reports.schedule.saved') });
      void client.invalidateQueries({ queryKey: ['metrics', 'schedule'] });
    },
  });
  const options = (users.data?.items ?? []).filter((u) => u.isActive).map((u) => ({ value: u.id, label: `${u.displayName} (${u.email})` }));
  return (
    <Paper withBorder p="md" radius="md" component="form" aria-labelledby="monthly-schedule" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <Title order={2} size="h4" id="monthly-schedule" mb="xs">
        {t('reports.schedule.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('reports.schedule.explain')}
      </Text>
      <Stack gap="sm">
        <Switch label={t('reports.schedule.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
        <MultiSelect label={t('reports.schedule.recipients')} data={options} value={recipients} onChange={setRecipients} searchable disabled={!canListUsers} />
        <NativeSelect label={t('reports.monthly.language')} value={locale} onChange={(e) => setLocale(e.currentTarget.value)} data={[{ value: 'en', label: 'English' }, { value: 'es', label: 'Español' }, { value: 'fr', label: 'Français' }]} />
        {save.isError ? <ErrorAlert error={save.error} /> : null}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('reports.schedule.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
