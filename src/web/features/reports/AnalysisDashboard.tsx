import { Alert, Badge, Center, Checkbox, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetricsResult } from '../../../shared/metrics/definitions.js';
import { previousPeriod } from '../../../shared/metrics/definitions.js';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { DEFAULT_NEEDS } from '../../../shared/directory/needs.js';
import { CHANNELS, DATA_REQUEST_TYPES } from '../intake/vocabulary.js';
import { AreaMap } from './AreaMap.js';
import { ChartCard } from './ChartCard.js';
import { POLARIS_TYPOLOGY } from '../../../shared/assessment/polaris-typology.js';
import { barOption, breakdownTable, categoryLabeller, cellLabel, formatDuration, heatmapOption, heatmapTable, trendOption, trendTable } from './charts.js';
import { useAreaNames, useAreas } from './ReportsPage.js';

/** Need names of the default taxonomy (a hotline's own renamed needs are shown by key). */
const NEED_LABELS = new Map(DEFAULT_NEEDS.map((n) => [n.key, n.labels]));
// Polaris type names as the case form shows them ("4. Residential"), not bare numbers.
const TYPOLOGY_NAMES = new Map(POLARIS_TYPOLOGY.flatMap((p) => [String(p.number), `polaris-${p.number}`].map((k) => [k, `${p.number}. ${p.name}`] as const)));

export interface Filters {
  from: string;
  to: string;
  area: string;
  channel: string;
  requestType: string;
  traffickingType: string;
  compare: boolean;
}

function monthStart(d: Date, offset = 0) {
  return new Date(Date.UTC(d.getFullYear(), d.getMonth() + offset, 1)).toISOString().slice(0, 10);
}

/** The month so far, compared with the previous month. */
export const defaultFilters: Filters = { from: monthStart(new Date()), to: monthStart(new Date(), 1), area: '', channel: '', requestType: '', traffickingType: '', compare: true };

export function queryOf(f: Pick<Filters, 'from' | 'to' | 'area' | 'channel' | 'requestType' | 'traffickingType'>) {
  return { from: f.from, to: f.to, area: f.area || undefined, channel: f.channel || undefined, requestType: f.requestType || undefined, traffickingType: f.traffickingType || undefined };
}

function useMetrics(q: ReturnType<typeof queryOf>, enabled = true) {
  return useQuery({ queryKey: ['metrics', q], queryFn: ({ signal }) => api.get<MetricsResult>('/api/metrics', q, signal), enabled: enabled && q.from < q.to, staleTime: 60_000 });
}

function Kpi({ label, value, previous, testId }: { label: string; value: string; previous?: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="sm" c="dark.6">
        {label}
      </Text>
      <Text fz={26} fw={700} lh={1.2}>
        {value}
      </Text>
      {previous !== undefined ? (
        <Text size="xs" c="dark.6">
          {t('reports.previousValue', { value: previous })}
        </Text>
      ) : null}
    </Paper>
  );
}

const pct = (v: number | null, na: string) => (v === null ? na : `${Math.round(v * 1000) / 10} %`);

export function AnalysisDashboard({ filters, onChange }: { filters: Filters; onChange: (f: Filters) => void }) {
  const { t, i18n } = useTranslation();
  const lang = (i18n.resolvedLanguage ?? 'en') as 'en' | 'es' | 'fr';
  const areas = useAreas();
  const areaNames = useAreaNames();
  const q = queryOf(filters);
  const prevQ = { ...q, ...previousPeriod(q.from, q.to) };
  const current = useMetrics(q);
  const previous = useMetrics(prevQ, filters.compare);
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const na = t('reports.notAvailableShort');
  const m = current.data;
  const p = filters.compare ? previous.data : undefined;
  const names = { current: t('reports.thisPeriod'), previous: t('reports.previousPeriod') };
  const labels = useMemo(
    () => ({
      channel: categoryLabeller(t, 'channel'),
      requestType: categoryLabeller(t, 'requestType'),
      signaler: categoryLabeller(t, 'signalerType'),
      language: categoryLabeller(t, 'languageName'),
      heard: categoryLabeller(t, 'heardAbout'),
      area: categoryLabeller(t, 'category', areaNames),
      category: categoryLabeller(t, 'category'),
      typology: (key: string) => TYPOLOGY_NAMES.get(key) ?? categoryLabeller(t, 'category')(key),
      need: (key: string) => NEED_LABELS.get(key)?.[lang] ?? categoryLabeller(t, 'category')(key),
    }),
    [t, areaNames, lang],
  );

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md" component="form" aria-label={t('reports.filters')} onSubmit={(e) => e.preventDefault()}>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput type="date" label={t('reports.from')} value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} required />
          <TextInput type="date" label={t('reports.toExclusive')} value={filters.to} onChange={(e) => set({ to: e.currentTarget.value })} required />
          <NativeSelect label={t('reports.area')} value={filters.area} onChange={(e) => set({ area: e.currentTarget.value })} data={[{ value: '', label: t('reports.allAreas') }, ...(areas.data?.areas ?? []).map((a) => ({ value: a.code, label: areaNames[a.code] ?? a.code }))]} />
          <NativeSelect label={t('reports.channel')} value={filters.channel} onChange={(e) => set({ channel: e.currentTarget.value })} data={[{ value: '', label: t('reports.allChannels') }, ...CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))]} />
          <NativeSelect label={t('reports.requestType')} value={filters.requestType} onChange={(e) => set({ requestType: e.currentTarget.value })} data={[{ value: '', label: t('reports.allTypes') }, ...DATA_REQUEST_TYPES.map((c) => ({ value: c, label: t(`requestType.${c}`) }))]} />
          <NativeSelect label={t('reports.traffickingType')} value={filters.traffickingType} onChange={(e) => set({ traffickingType: e.currentTarget.value })} data={[{ value: '', label: t('reports.allTypes') }, { value: 'sex', label: t('reports.category.sex') }, { value: 'labour', label: t('reports.category.labour') }]} />
          <Checkbox label={t('reports.compare')} checked={filters.compare} onChange={(e) => set({ compare: e.currentTarget.checked })} mb={8} />
        </Group>
        {filters.from >= filters.to ? (
          <Text c="red.9" size="sm" mt="xs" role="alert">
            {t('reports.badPeriod')}
          </Text>
        ) : null}
      </Paper>

      {current.isPending ? (
        <Center py="xl" role="status">
          <Loader aria-hidden size="sm" mr="sm" />
          <Text>{t('common.loading')}</Text>
        </Center>
      ) : current.isError ? (
        <ErrorAlert error={current.error} />
      ) : m ? (
        <>
          <Group gap="xs" data-testid="analysis-summary">
            <Badge variant="light" color="dark">{t('reports.periodLabel', { from: m.period.from, to: m.period.to, tz: m.period.timezone })}</Badge>
            {m.filters.area ? <Badge variant="light" color="blue">{labels.area(m.filters.area)}</Badge> : null}
            {m.filters.channel ? <Badge variant="light" color="blue">{t(`channel.${m.filters.channel}`)}</Badge> : null}
            {m.isSuppressed ? <Badge variant="light" color="orange" c="dark.8">{t('reports.suppressedBadge', { t: m.threshold })}</Badge> : null}
          </Group>
          {m.isSuppressed ? (
            <Alert variant="light" color="blue" title={t('reports.suppressedTitle')}>
              {t('reports.suppressedBody', { t: m.threshold, max: m.threshold - 1 })}
            </Alert>
          ) : null}

          <Title order={2} size="h4">{t('reports.sections.access')}</Title>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 7 }}>
            <Kpi testId="kpi-contacts" label={t('reports.contacts')} value={cellLabel(m.access.contacts)} previous={p && cellLabel(p.access.contacts)} />
            <Kpi label={t('reports.offered')} value={cellLabel(m.access.live.offered.total)} previous={p && cellLabel(p.access.live.offered.total)} />
            <Kpi label={t('reports.serviceLevel')} value={pct(m.access.live.serviceLevel, na)} previous={p && pct(p.access.live.serviceLevel, na)} />
            <Kpi label={t('reports.abandonment')} value={pct(m.access.live.abandonmentRate, na)} previous={p && pct(p.access.live.abandonmentRate, na)} />
            <Kpi label={t('reports.asa')} value={formatDuration(t, m.access.live.speedOfAnswerSeconds.mean, na)} previous={p && formatDuration(t, p.access.live.speedOfAnswerSeconds.mean, na)} />
            <Kpi label={t('reports.aht')} value={formatDuration(t, m.access.live.handleSeconds.mean, na)} previous={p && formatDuration(t, p.access.live.handleSeconds.mean, na)} />
            <Kpi testId="kpi-occupancy" label={t('reports.occupancy')} value={pct(m.access.live.occupancy, na)} previous={p && pct(p.access.live.occupancy, na)} />
          </SimpleGrid>
          <Text size="sm" c="dark.6">
            {t('reports.shortAbandonNote', { shown: cellLabel(m.access.live.shortAbandons) })} {t('reports.occupancyNote')}
          </Text>

          <ChartCard testId="chart-trend" title={t('reports.trend')} file="trend" option={trendOption(m, t, p)} table={trendTable(m, t, p)} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <AreaMap testId="area-map" byArea={m.access.byArea} areas={areas.data?.areas ?? []} label={labels.area} />
            <ChartCard testId="chart-area" title={t('reports.byArea')} note={t('reports.mapNote')} file="contacts-by-area" option={barOption(m.access.byArea, labels.area, p?.access.byArea, names)} table={breakdownTable(m.access.byArea, labels.area, t, p?.access.byArea)} height={Math.max(220, m.access.byArea.rows.length * 28)} />
            <ChartCard testId="chart-channel" title={t('reports.byChannel')} file="contacts-by-channel" option={barOption(m.access.byChannel, labels.channel, p?.access.byChannel, names)} table={breakdownTable(m.access.byChannel, labels.channel, t, p?.access.byChannel)} />
            <ChartCard title={t('reports.byRequestType')} file="contacts-by-request-type" option={barOption(m.access.byRequestType, labels.requestType, p?.access.byRequestType, names)} table={breakdownTable(m.access.byRequestType, labels.requestType, t, p?.access.byRequestType)} />
            <ChartCard title={t('reports.bySignalerType')} file="contacts-by-signaler" option={barOption(m.access.bySignalerType, labels.signaler)} table={breakdownTable(m.access.bySignalerType, labels.signaler, t, p?.access.bySignalerType)} />
            <ChartCard title={t('reports.byLanguage')} file="contacts-by-language" option={barOption(m.access.byLanguage, labels.language)} table={breakdownTable(m.access.byLanguage, labels.language, t, p?.access.byLanguage)} />
            <ChartCard title={t('reports.byHeardAbout')} file="contacts-by-how-heard" option={barOption(m.access.byHeardAbout, labels.heard)} table={breakdownTable(m.access.byHeardAbout, labels.heard, t, p?.access.byHeardAbout)} />
          </SimpleGrid>
          <ChartCard testId="chart-heatmap" title={t('reports.heatmap')} file="contacts-hour-weekday" option={heatmapOption(m.access.hourByWeekday, t)} table={heatmapTable(m.access.hourByWeekday, t)} height={520} />

          <Title order={2} size="h4">{t('reports.sections.situations')}</Title>
          <SimpleGrid cols={{ base: 2, sm: 3 }}>
            <Kpi label={t('reports.casesOpened')} value={cellLabel(m.situations.casesOpened.total)} previous={p && cellLabel(p.situations.casesOpened.total)} />
            <Kpi label={t('reports.casesClosed')} value={cellLabel(m.situations.casesClosed)} previous={p && cellLabel(p.situations.casesClosed)} />
            <Kpi label={t('reports.potentialVictims')} value={cellLabel(m.situations.potentialVictims)} previous={p && cellLabel(p.situations.potentialVictims)} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <ChartCard title={t('reports.casesByType')} file="cases-by-type" option={barOption(m.situations.casesOpened, labels.category)} table={breakdownTable(m.situations.casesOpened, labels.category, t, p?.situations.casesOpened)} />
            <ChartCard title={t('reports.casesByTypology')} file="cases-by-typology" option={barOption(m.situations.openedByTypology, labels.typology)} table={breakdownTable(m.situations.openedByTypology, labels.typology, t)} />
            <ChartCard title={t('reports.victimsBySexLevel')} file="victims-by-sex-level" option={barOption(m.situations.victimsBySexLevel, labels.category)} table={breakdownTable(m.situations.victimsBySexLevel, labels.category, t)} />
            <ChartCard title={t('reports.victimsByLabourLevel')} file="victims-by-labour-level" option={barOption(m.situations.victimsByLabourLevel, labels.category)} table={breakdownTable(m.situations.victimsByLabourLevel, labels.category, t)} />
            <ChartCard title={t('reports.victimsByAge')} file="victims-by-age" option={barOption(m.situations.victimsByAgeGroup, labels.category)} table={breakdownTable(m.situations.victimsByAgeGroup, labels.category, t)} />
            <ChartCard title={t('reports.victimsByGender')} file="victims-by-gender" option={barOption(m.situations.victimsByGender, labels.category)} table={breakdownTable(m.situations.victimsByGender, labels.category, t)} />
            <ChartCard testId="chart-emergency" title={t('reports.emergency.title')} note={t('reports.emergency.note')} file="emergency-requests" option={barOption(m.situations.emergencyRequests, labels.need, p?.situations.emergencyRequests, names)} table={breakdownTable(m.situations.emergencyRequests, labels.need, t, p?.situations.emergencyRequests)} />
          </SimpleGrid>

          <Title order={2} size="h4">{t('reports.sections.response')}</Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <ChartCard title={t('reports.tasks')} file="protocol-tasks" option={barOption(m.response.tasks, labels.category)} table={breakdownTable(m.response.tasks, labels.category, t, p?.response.tasks)} />
            <ChartCard title={t('reports.reportsSent')} file="reports-sent" option={barOption(m.response.reportsSent, labels.category)} table={breakdownTable(m.response.reportsSent, labels.category, t, p?.response.reportsSent)} />
          </SimpleGrid>
          <Title order={3} size="h5" data-testid="referrals-section">{t('reports.referralsTitle')}</Title>
          <Text size="sm" c="dark.6">{t('reports.referrals.note')}</Text>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Kpi testId="kpi-referrals" label={t('reports.referrals.made')} value={cellLabel(m.response.referrals.made.total)} previous={p && cellLabel(p.response.referrals.made.total)} />
            <Kpi label={t('reports.referrals.accepted')} value={cellLabel(m.response.referrals.outcomes.total)} previous={p && cellLabel(p.response.referrals.outcomes.total)} />
            <Kpi label={t('reports.referrals.ackMedian')} value={formatDuration(t, m.response.referrals.acknowledgeSeconds.median, na)} previous={p && formatDuration(t, p.response.referrals.acknowledgeSeconds.median, na)} />
            <Kpi label={t('reports.referrals.ackP90')} value={formatDuration(t, m.response.referrals.acknowledgeSeconds.p90, na)} previous={p && formatDuration(t, p.response.referrals.acknowledgeSeconds.p90, na)} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <ChartCard testId="chart-referrals" title={t('reports.referrals.byState')} file="referrals-by-state" option={barOption(m.response.referrals.made, labels.category, p?.response.referrals.made, names)} table={breakdownTable(m.response.referrals.made, labels.category, t, p?.response.referrals.made)} />
            <ChartCard title={t('reports.referrals.outcomes')} file="referral-outcomes" option={barOption(m.response.referrals.outcomes, labels.category)} table={breakdownTable(m.response.referrals.outcomes, labels.category, t, p?.response.referrals.outcomes)} />
            <ChartCard title={t('reports.referrals.needsReferred')} file="needs-referred" option={barOption(m.response.referrals.needsReferred, labels.need)} table={breakdownTable(m.response.referrals.needsReferred, labels.need, t, p?.response.referrals.needsReferred)} />
            <ChartCard title={t('reports.referrals.unmetNeeds')} file="unmet-needs" option={barOption(m.response.referrals.unmetNeeds, labels.need)} table={breakdownTable(m.response.referrals.unmetNeeds, labels.need, t, p?.response.referrals.unmetNeeds)} />
            {m.response.referrals.needsWithoutPartner ? (
              <ChartCard title={t('reports.referrals.noPartner')} file="needs-without-partner" option={barOption(m.response.referrals.needsWithoutPartner, labels.need)} table={breakdownTable(m.response.referrals.needsWithoutPartner, labels.need, t)} />
            ) : (
              <Alert variant="light" color="gray" title={t('reports.referrals.noPartner')}>{t('reports.referrals.noPartnerFiltered')}</Alert>
            )}
          </SimpleGrid>

          <Title order={2} size="h4">{t('reports.sections.quality')}</Title>
          <SimpleGrid cols={{ base: 2, sm: 3 }}>
            <Kpi label={t('reports.closedDataContacts')} value={cellLabel(m.quality.closedDataContacts)} />
            <Kpi label={t('reports.missingAny')} value={cellLabel(m.quality.missingAny)} previous={p && cellLabel(p.quality.missingAny)} />
            <Kpi label={t('reports.documentationMedian')} value={formatDuration(t, m.quality.documentationSeconds.median, na)} previous={p && formatDuration(t, p.quality.documentationSeconds.median, na)} />
          </SimpleGrid>
          <ChartCard title={t('reports.missingByField')} note={t('reports.missingNote')} file="missing-fields" option={barOption(m.quality.missingByField, labels.category)} table={breakdownTable(m.quality.missingByField, labels.category, t)} />
        </>
      ) : null}
    </Stack>
  );
}
