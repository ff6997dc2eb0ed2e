import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface TemporaryPasswordModalProps {
  value: { email: string; password: string; reason: 'created' | 'reset' } | null;
  onClose: () => void;
}

/** The only time the temporary password is ever shown: it is not stored in the browser anywhere. */
export function TemporaryPasswordModal({ value, onClose }: TemporaryPasswordModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={value !== null}
      onClose={onClose}
      title={value?.reason === 'created' ? t('users.createdTitle') : t('users.resetDoneTitle')}
      closeOnClickOutside={false}
      size="lg"
    >
      {value ? (
        <Stack gap="md">
          <Text>{t('users.tempPasswordIntro', { email: value.email })}</Text>
          <Stack gap={4}>
            <Text fw={600} id="temp-password-label">
              {t('users.tempPassword')}
            </Text>
            <Group gap="sm">
              <Code data-testid="temporary-password" aria-labelledby="temp-password-label" fz="lg" p="sm" style={{ wordBreak: 'break-all' }}>
                {value.password}
              </Code>
              <CopyButton value={value.password}>
                {({ copied, copy }) => (
                  <Button variant="default" size="sm" onClick={copy} data-autofocus aria-live="polite" style={{ flexShrink: 0 }}>
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
          <Alert color="yellow" variant="light" title={t('users.tempPasswordOnce')}>
            {t('users.tempPasswordNext')}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
