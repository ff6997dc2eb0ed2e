import { Tabs } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { PageHeader } from '../../components/PageHeader.js';
import type { Session, SessionUser } from '../auth/session.js';
import { AnalysisDashboard, defaultFilters, type Filters } from './AnalysisDashboard.js';
import { LiveDashboard } from './LiveDashboard.js';
import { MonthlyReportPanel } from './MonthlyReportPanel.js';
import { StandardReportsPanel } from './StandardReportsPanel.js';

export interface Area {
  code: string;
  name: { en: string; es: string; fr: string };
  /** A representative point inside the area, when configured: where the map draws its figure. */
  lat?: number;
  lon?: number;
}

export function useAreas() {
  return useQuery({ queryKey: ['metrics', 'areas'], queryFn: ({ signal }) => api.get<{ areas: Area[] }>('/api/metrics/areas', undefined, signal), staleTime: 5 * 60_000 });
}

export function useAreaNames(): Record<string, string> {
  const { i18n } = useTranslation();
  const areas = useAreas();
  const lang = (i18n.resolvedLanguage ?? 'en') as 'en' | 'es' | 'fr';
  return Object.fromEntries((areas.data?.areas ?? []).map((a) => [a.code, a.name[lang] ?? a.name.en]));
}

/** /reports: the live operations view, the analysis dashboard, the monthly report, the funder and annual reports (docs/metrics.md). */
export function ReportsPage({ session }: { session: Session & { user: SessionUser } }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('analysis');
  const [filters, setFilters] = useState<Filters>(defaultFilters);
  return (
    <>
      <PageHeader title={t('reports.title')} description={t('reports.description')} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="live">{t('reports.tabs.live')}</Tabs.Tab>
          <Tabs.Tab value="analysis">{t('reports.tabs.analysis')}</Tabs.Tab>
          <Tabs.Tab value="monthly">{t('reports.tabs.monthly')}</Tabs.Tab>
          <Tabs.Tab value="standard">{t('reports.tabs.standard')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="live">
          <LiveDashboard />
        </Tabs.Panel>
        <Tabs.Panel value="analysis">
          <AnalysisDashboard filters={filters} onChange={setFilters} />
        </Tabs.Panel>
        <Tabs.Panel value="monthly">
          <MonthlyReportPanel session={session} filters={filters} />
        </Tabs.Panel>
        <Tabs.Panel value="standard">
          <StandardReportsPanel filters={filters} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
