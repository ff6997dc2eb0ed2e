import { Button, Center, Code, CopyButton, Group, Image, List, Loader, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { CodeField, isSixDigits } from './CodeField.js';
import { useAfterAuthStep, type AuthStepResult } from './session.js';
import { StartOverButton } from './StartOverButton.js';

interface EnrolStart {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

/** Groups of four are far easier to type into a phone than one 32-character run. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}

export function MfaEnrolForm() {
  const { t } = useTranslation();
  const afterAuthStep = useAfterAuthStep();
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);

  // A query (not an effect) so React's double-mount in development cannot start two enrolments.
  const start = useQuery({
    queryKey: ['mfa-enrol-start'],
    queryFn: () => api.post<EnrolStart>('/api/auth/mfa/enrol/start', {}),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

  const confirm = useMutation({
    mutationFn: () => api.post<AuthStepResult>('/api/auth/mfa/enrol/confirm', { code }),
    onSuccess: afterAuthStep,
    onError: () => setCode(''),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!isSixDigits(code)) return;
    confirm.mutate();
  };

  if (start.isPending) {
    return (
      <Center py="lg" role="status" aria-live="polite">
        <Loader aria-hidden size="sm" mr="sm" />
        <Text>{t('auth.enrolPreparing')}</Text>
      </Center>
    );
  }
  if (start.isError) {
    return (
      <Stack>
        <ErrorAlert error={start.error} />
        <Group justify="space-between">
          <Button onClick={() => void start.refetch()}>{t('common.tryAgain')}</Button>
          <StartOverButton />
        </Group>
      </Stack>
    );
  }

  const secret = start.data.secret.replace(/\s+/g, '');
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <List type="ordered" spacing="xs">
          <List.Item>{t('auth.enrolStep1')}</List.Item>
          <List.Item>{t('auth.enrolStep2')}</List.Item>
          <List.Item>{t('auth.enrolStep3')}</List.Item>
        </List>
        <Center>
          <Image src={start.data.qrDataUrl} alt={t('auth.qrAlt')} w={200} h={200} fit="contain" />
        </Center>
        <Stack gap={4}>
          <Text fw={600} id="totp-secret-label">
            {t('auth.secretLabel')}
          </Text>
          <Group gap="sm" align="center">
            <Code
              data-testid="totp-secret"
              aria-labelledby="totp-secret-label"
              fz="md"
              p="xs"
              style={{ wordBreak: 'break-word', letterSpacing: '0.05em' }}
            >
              {groupSecret(secret)}
            </Code>
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button variant="default" size="sm" onClick={copy} aria-live="polite" style={{ flexShrink: 0 }}>
                  {copied ? t('common.copied') : t('auth.copySecret')}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Stack>
        <ErrorAlert error={confirm.error} title={t('auth.verifyFailed')} />
        <CodeField
          value={code}
          onChange={setCode}
          error={touched && !isSixDigits(code) && !confirm.error ? t('auth.codeInvalidFormat') : undefined}
        />
        <Button type="submit" loading={confirm.isPending} fullWidth>
          {t('auth.enrolConfirm')}
        </Button>
        <Group justify="center">
          <StartOverButton />
        </Group>
      </Stack>
    </form>
  );
}
