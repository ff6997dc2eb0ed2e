import { useTranslation } from 'react-i18next';
import { AuthLayout } from './AuthLayout.js';
import { LoginForm } from './LoginForm.js';
import { MfaEnrolForm } from './MfaEnrolForm.js';
import { MfaVerifyForm } from './MfaVerifyForm.js';
import type { SessionState } from './session.js';

/** The sign-in steps, chosen by the state the server reports for this browser's session. */
export function SignInPage({ state }: { state: Exclude<SessionState, 'signed_in'> }) {
  const { t } = useTranslation();
  if (state === 'mfa_required') {
    return (
      <AuthLayout title={t('auth.verifyTitle')} description={t('auth.verifyIntro')}>
        <MfaVerifyForm />
      </AuthLayout>
    );
  }
  if (state === 'mfa_enrol_required') {
    return (
      <AuthLayout title={t('auth.enrolTitle')} description={t('auth.enrolIntro')}>
        <MfaEnrolForm />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t('auth.signInTitle')} description={t('auth.signInIntro')}>
      <LoginForm />
    </AuthLayout>
  );
}
