import { Button, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PasswordField } from '../../components/PasswordField.js';

export const MIN_PASSWORD_LENGTH = 12;

interface ChangePasswordFormProps {
  email: string;
  onChanged: () => void | Promise<void>;
  currentLabel?: string;
}

export function ChangePasswordForm({ email, onChanged, currentLabel }: ChangePasswordFormProps) {
  const { t } = useTranslation();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');
  const [touched, setTouched] = useState(false);

  const change = useMutation({
    mutationFn: () => api.post<void>('/api/auth/password', { currentPassword, newPassword }),
    onSuccess: async () => {
      setCurrentPassword('');
      setNewPassword('');
      setConfirmPassword('');
      setTouched(false);
      await onChanged();
    },
  });

  // The same rules the server applies, checked here first so the person sees why before sending.
  const errors = {
    current: !currentPassword ? t('account.currentRequired') : undefined,
    next:
      newPassword.length < MIN_PASSWORD_LENGTH
        ? t('account.passwordTooShort', { count: MIN_PASSWORD_LENGTH })
        : newPassword.trim().toLowerCase() === email.trim().toLowerCase()
          ? t('account.passwordIsEmail')
          : newPassword === currentPassword
            ? t('account.passwordUnchanged')
            : undefined,
    confirm: confirmPassword !== newPassword ? t('account.passwordMismatch') : undefined,
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (errors.current || errors.next || errors.confirm) return;
    change.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <ErrorAlert error={change.error} title={t('account.changeFailed')} />
        <PasswordField
          label={currentLabel ?? t('account.currentPassword')}
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(event) => setCurrentPassword(event.currentTarget.value)}
          error={touched ? errors.current : undefined}
        />
        <PasswordField
          label={t('account.newPassword')}
          description={t('account.passwordRules', { count: MIN_PASSWORD_LENGTH })}
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={(event) => setNewPassword(event.currentTarget.value)}
          error={touched ? errors.next : undefined}
        />
        <PasswordField
          label={t('account.confirmPassword')}
          autoComplete="new-password"
          required
          value={confirmPassword}
          onChange={(event) => setConfirmPassword(event.currentTarget.value)}
          error={touched ? errors.confirm : undefined}
        />
        <Button type="submit" loading={change.isPending} style={{ alignSelf: 'flex-start' }}>
          {t('account.changePassword')}
        </Button>
      </Stack>
    </form>
  );
}
