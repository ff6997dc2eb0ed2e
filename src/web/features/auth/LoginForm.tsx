import { Button, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PasswordField } from '../../components/PasswordField.js';
import { useAfterAuthStep, type AuthStepResult } from './session.js';

export function LoginForm() {
  const { t } = useTranslation();
  const afterAuthStep = useAfterAuthStep();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);

  const login = useMutation({
    mutationFn: () => api.post<AuthStepResult>('/api/auth/login', { email: email.trim(), password }),
    onSuccess: afterAuthStep,
  });

  const emailError = touched && !email.trim() ? t('auth.emailRequired') : undefined;
  const passwordError = touched && !password ? t('auth.passwordRequired') : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!email.trim() || !password) return;
    login.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={login.error ? 'login-error' : undefined}>
      <Stack gap="md">
        <div id="login-error">
          <ErrorAlert error={login.error} title={t('auth.signInFailed')} />
        </div>
        <TextInput
          label={t('auth.email')}
          type="email"
          name="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={emailError}
        />
        <PasswordField
          label={t('auth.password')}
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={passwordError}
        />
        <Button type="submit" loading={login.isPending} fullWidth>
          {t('auth.signIn')}
        </Button>
      </Stack>
    </form>
  );
}
