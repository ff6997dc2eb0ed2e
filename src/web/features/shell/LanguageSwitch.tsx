import { NativeSelect } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken, type Locale } from '../../api.js';
import { currentLocale, isLocale, LOCALE_NAMES, LOCALES, rememberLocale } from '../../i18n/index.js';
import { describeError } from '../auth/errors.js';
import { SESSION_KEY, type Session, type SessionUser } from '../auth/session.js';

interface LanguageSwitchProps {
  /** When signed in, the choice is saved on the user so it follows them to any device. */
  signedIn: boolean;
  /** Show the visible label (on forms) rather than only an accessible name (in the header). */
  withLabel?: boolean;
}

export function LanguageSwitch({ signedIn, withLabel = false }: LanguageSwitchProps) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();

  const save = useMutation({
    // The server answers with the refreshed session (older drafts of the API: just `{ user }`).
    mutationFn: (locale: Locale) => api.patch<Partial<Session> & { user: SessionUser }>('/api/me', { locale }),
    onSuccess: (answer) => {
      queryClient.setQueryData<Session>(SESSION_KEY, (old) => {
        if (answer.state && answer.permissions) {
          setCsrfToken(answer.csrfToken);
          return answer as Session;
        }
        return old && old.user ? { ...old, user: { ...old.user, ...answer.user } } : old;
      });
    },
    onError: (error) => {
      notifications.show({
        color: 'red',
        title: t('language.saveFailed'),
        message: describeError(error, t, i18n.resolvedLanguage ?? 'en'),
      });
    },
  });

  const onChange = (value: string) => {
    if (!isLocale(value)) return;
    rememberLocale(value);
    void i18n.changeLanguage(value);
    if (signedIn) save.mutate(value);
  };

  return (
    <NativeSelect
      label={withLabel ? t('language.label') : undefined}
      aria-label={withLabel ? undefined : t('language.label')}
      value={currentLocale()}
      onChange={(event) => onChange(event.currentTarget.value)}
      w={withLabel ? 240 : 130}
      size="sm"
    >
      {LOCALES.map((locale) => (
        <option key={locale} value={locale} lang={locale}>
          {LOCALE_NAMES[locale]}
        </option>
      ))}
    </NativeSelect>
  );
}
