import { Anchor, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader.js';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={720}>
      <PageHeader title={t('notFound.title')} />
      <Text>{t('notFound.body')}</Text>
      <Anchor component={Link} to="/">
        {t('notFound.home')}
      </Anchor>
    </Stack>
  );
}
