import { Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from './AuthLayout.js';
import { ChangePasswordForm } from './ChangePasswordForm.js';
import { useAfterAuthStep, type SessionUser } from './session.js';
import { StartOverButton } from './StartOverButton.js';

/** A temporary password must be replaced before anything else is shown. */
export function ChangePasswordPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const afterAuthStep = useAfterAuthStep();
  return (
    <AuthLayout title={t('account.mustChangeTitle')} description={t('account.mustChangeIntro')} signedIn>
      <ChangePasswordForm
        email={user.email}
        currentLabel={t('account.temporaryPassword')}
        onChanged={() => afterAuthStep()}
      />
      <Group justify="center">
        <StartOverButton label={t('shell.signOut')} />
      </Group>
    </AuthLayout>
  );
}
