import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from '../features/auth/errors.js';

/** A failure shown in words, announced to screen readers as it appears. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" title={title ?? t('common.errorTitle')} role="alert">
      {describeError(error, t, i18n.resolvedLanguage ?? 'en')}
    </Alert>
  );
}
