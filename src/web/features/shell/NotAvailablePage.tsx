import { Alert, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.js';
import type { Area } from './navigation.js';

/** Says plainly that an area is planned, so nobody mistakes an empty screen for lost data. */
export function NotAvailablePage({ area }: { area: Area }) {
  const { t } = useTranslation();
  const name = t(`nav.${area}`);
  return (
    <Stack maw={720}>
      <PageHeader title={name} />
      <Alert color="blue" variant="light" title={t('notAvailable.title')}>
        <Stack gap="xs">
          <Text>{t('notAvailable.body', { area: name })}</Text>
          <Text>{t(`areas.${area}`)}</Text>
          <Text>{t('notAvailable.meanwhile')}</Text>
        </Stack>
      </Alert>
    </Stack>
  );
}
