import { AppShell, Box, Burger, Button, Group, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { canSeeAdmin, type Session, type SessionUser } from '../auth/session.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { isPartnerOnly, PARTNER_HOME } from '../referrals/partnerOnly.js';
import { AREAS } from './navigation.js';
import { useSignOut } from './useSignOut.js';

interface ShellProps {
  session: Session & { user: SessionUser };
}

export function Shell({ session }: ShellProps) {
  const { t } = useTranslation();
  const location = useLocation();
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const signOut = useSignOut();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const { user } = session;

  // Moving focus to the new page tells keyboard and screen-reader users that the page changed.
  useEffect(() => {
    closeNav();
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: false });
  }, [location.pathname, closeNav]);

  const links: Array<{ key: string; to: string }> = isPartnerOnly(session) ? [{ key: 'referrals.partner.nav', to: PARTNER_HOME }] : AREAS.map((area) => ({ key: area, to: `/${area}` }));
  if (canSeeAdmin(session)) links.push({ key: 'admin', to: '/admin' });

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding="lg"
    >
      <a className="skip-link" href="#main-content">
        {t('shell.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger
              opened={navOpen}
              onClick={toggleNav}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpen ? t('shell.closeMenu') : t('shell.openMenu')}
              aria-expanded={navOpen}
              aria-controls="main-navigation"
            />
            <Text fw={700} size="lg" truncate component="p" m={0}>
              <Text span fw={700} inherit visibleFrom="xs">
                Catalyst ·{' '}
              </Text>
              {user.hotline.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <UnstyledButton
              component={Link}
              to="/account"
              className="header-user"
              aria-label={t('shell.accountFor', { name: user.displayName })}
              visibleFrom="sm"
            >
              <Text size="sm" fw={600} truncate maw={200}>
                {user.displayName}
              </Text>
            </UnstyledButton>
            <Box visibleFrom="sm">
              <LanguageSwitch signedIn />
            </Box>
            <Button variant="default" size="sm" onClick={() => signOut.mutate()} loading={signOut.isPending}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" id="main-navigation">
        <nav aria-label={t('shell.mainNavigation')} style={{ height: '100%' }}>
          <ScrollArea h="100%">
            <ul className="nav-list">
              {links.map((link) => {
                const active = location.pathname === link.to || location.pathname.startsWith(`${link.to}/`);
                return (
                  <li key={link.key}>
                    <NavLink
                      component={RouterNavLink}
                      to={link.to}
                      label={t(link.key.includes('.') ? link.key : `nav.${link.key}`)}
                      active={active}
                      variant="filled"
                    />
                  </li>
                );
              })}
              <li className="nav-account">
                <NavLink
                  component={RouterNavLink}
                  to="/account"
                  label={t('nav.account')}
                  description={user.displayName}
                  active={location.pathname === '/account'}
                  variant="filled"
                />
              </li>
            </ul>
            <Box hiddenFrom="sm" mt="md" px="xs">
              <LanguageSwitch signedIn withLabel />
            </Box>
          </ScrollArea>
        </nav>
      </AppShell.Navbar>

      <AppShell.Main id="main-content" ref={mainRef} tabIndex={-1} className="main-content">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
