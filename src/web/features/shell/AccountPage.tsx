import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.js';
import { ChangePasswordForm } from '../auth/ChangePasswordForm.js';
import type { SessionUser } from '../auth/session.js';
import { LanguageSwitch } from './LanguageSwitch.js';

export function AccountPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  return (
    <Stack maw={640} gap="lg">
      <PageHeader title={t('account.title')} description={user.email} />
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="account-profile">
        <Title order={2} size="h4" id="account-profile" mb="sm">
          {t('account.profile')}
        </Title>
        <Stack gap="xs">
          <Text>
            <Text span fw={600}>
              {t('account.name')}:
            </Text>{' '}
            {user.displayName}
          </Text>
          <Group gap="xs">
            <Text span fw={600}>
              {t('account.roles')}:
            </Text>
            {user.roles.map((role) => (
              <Badge key={role} variant="light">
                {t(`roles.${role}`, { defaultValue: role })}
              </Badge>
            ))}
          </Group>
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="account-language">
        <Title order={2} size="h4" id="account-language" mb="xs">
          {t('language.label')}
        </Title>
        <Text c="dimmed" mb="sm">
          {t('account.languageHint')}
        </Text>
        <LanguageSwitch signedIn withLabel />
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="account-password">
        <Title order={2} size="h4" id="account-password" mb="sm">
          {t('account.changePassword')}
        </Title>
        <ChangePasswordForm
          email={user.email}
          onChanged={() => {
            notifications.show({ color: 'green', message: t('account.passwordChanged') });
          }}
        />
      </Paper>
    </Stack>
  );
}
