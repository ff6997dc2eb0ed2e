import { Button, Group, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { CodeField, isSixDigits } from './CodeField.js';
import { useAfterAuthStep, type AuthStepResult } from './session.js';
import { StartOverButton } from './StartOverButton.js';

export function MfaVerifyForm() {
  const { t } = useTranslation();
  const afterAuthStep = useAfterAuthStep();
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);

  const verify = useMutation({
    mutationFn: () => api.post<AuthStepResult>('/api/auth/mfa/verify', { code }),
    onSuccess: afterAuthStep,
    onError: () => setCode(''),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!isSixDigits(code)) return;
    verify.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <ErrorAlert error={verify.error} title={t('auth.verifyFailed')} />
        <CodeField
          value={code}
          onChange={setCode}
          autoFocus
          error={touched && !isSixDigits(code) && !verify.error ? t('auth.codeInvalidFormat') : undefined}
        />
        <Button type="submit" loading={verify.isPending} fullWidth>
          {t('auth.verify')}
        </Button>
        <Group justify="center">
          <StartOverButton />
        </Group>
      </Stack>
    </form>
  );
}
