import { Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Filters } from './AnalysisDashboard.js';

const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'es', label: 'Español' },
  { value: 'fr', label: 'Français' },
];

/** The funder performance indicators (any period, from the analysis period) and the annual public statistics. */
export function StandardReportsPanel({ filters }: { filters: Filters }) {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const [year, setYear] = useState(String(new Date().getFullYear() - 1));
  const [locale, setLocale] = useState<string>(i18n.resolvedLanguage ?? 'en');
  const funderValid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from < to;
  const yearValid = /^\d{4}$/.test(year);
  const funder = (format: 'pdf' | 'xlsx') => `/api/metrics/reports/standard?${new URLSearchParams({ report: 'funder', from, to, format, locale })}`;
  const annual = (format: 'pdf' | 'xlsx') => `/api/metrics/reports/standard?${new URLSearchParams({ report: 'annual', year, format, locale })}`;
  const language = <NativeSelect label={t('reports.standard.language')} value={locale} onChange={(e) => setLocale(e.currentTarget.value)} data={LANGUAGES} />;

  return (
    <Stack gap="md" maw={900}>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="funder-report">
        <Title order={2} size="h4" id="funder-report" mb="xs">
          {t('reports.standard.funderTitle')}
        </Title>
        <Text size="sm" mb="sm">
          {t('reports.standard.funderExplain')}
        </Text>
        <Group align="flex-end" gap="sm">
          <TextInput type="date" label={t('reports.standard.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required />
          <TextInput type="date" label={t('reports.standard.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} required />
          {language}
          <Button component="a" href={funderValid ? funder('pdf') : undefined} download aria-disabled={!funderValid} data-testid="download-funder-pdf">
            {t('reports.standard.pdf')}
          </Button>
          <Button component="a" variant="default" href={funderValid ? funder('xlsx') : undefined} download aria-disabled={!funderValid}>
            {t('reports.standard.xlsx')}
          </Button>
        </Group>
      </Paper>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="annual-report">
        <Title order={2} size="h4" id="annual-report" mb="xs">
          {t('reports.standard.annualTitle')}
        </Title>
        <Text size="sm" mb="sm">
          {t('reports.standard.annualExplain')}
        </Text>
        <Group align="flex-end" gap="sm">
          <TextInput label={t('reports.standard.year')} value={year} onChange={(e) => setYear(e.currentTarget.value)} inputMode="numeric" maxLength={4} w={100} required />
          {language}
          <Button component="a" href={yearValid ? annual('pdf') : undefined} download aria-disabled={!yearValid} data-testid="download-annual-pdf">
            {t('reports.standard.pdf')}
          </Button>
          <Button component="a" variant="default" href={yearValid ? annual('xlsx') : undefined} download aria-disabled={!yearValid} data-testid="download-annual-xlsx">
            {t('reports.standard.xlsx')}
          </Button>
        </Group>
      </Paper>
    </Stack>
  );
}
