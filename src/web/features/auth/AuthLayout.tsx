import { Box, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../components/usePageTitle.js';
import { LanguageSwitch } from '../shell/LanguageSwitch.js';

interface AuthLayoutProps {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  signedIn?: boolean;
}

/** The frame around every sign-in step: product name, language choice and one focused task. */
export function AuthLayout({ title, description, children, signedIn = false }: AuthLayoutProps) {
  const { t } = useTranslation();
  usePageTitle(title);
  return (
    <Box className="auth-page">
      <a className="skip-link" href="#main-content">
        {t('shell.skipToContent')}
      </a>
      <Container size={460} py={48}>
        <Group justify="space-between" align="center" mb="lg" component="header">
          <Text fw={700} size="xl" component="p" m={0}>
            Catalyst
          </Text>
          <LanguageSwitch signedIn={signedIn} />
        </Group>
        <Paper component="main" id="main-content" tabIndex={-1} withBorder shadow="sm" radius="md" p="xl">
          <Stack gap="md">
            <Stack gap={6}>
              <Title order={1} size="h2">
                {title}
              </Title>
              {description ? <Text c="dimmed">{description}</Text> : null}
            </Stack>
            {children}
          </Stack>
        </Paper>
      </Container>
    </Box>
  );
}
