import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router';
import { hasPermission, type Session } from '../auth/session.js';

/** Secondary navigation between admin screens; links (not tabs) so each screen has its own address. */
export function AdminLayout({ session }: { session: Session }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const sections = [
    { to: '/admin/users', label: t('admin.users'), visible: hasPermission(session, 'user.list') },
    { to: '/admin/audit', label: t('admin.audit'), visible: hasPermission(session, 'audit.read') },
    { to: '/admin/channels', label: t('admin.channels'), visible: hasPermission(session, 'channel.manage') },
    { to: '/admin/contact-form', label: t('admin.contactForm'), visible: hasPermission(session, 'config.manage') },
    { to: '/admin/sla', label: t('admin.sla'), visible: hasPermission(session, 'config.manage') },
    { to: '/admin/partner-accounts', label: t('referrals.accounts.nav'), visible: hasPermission(session, 'user.update') },
    { to: '/admin/instrument', label: t('adminConfig.navInstrument'), visible: hasPermission(session, 'config.manage') },
    { to: '/admin/protocols', label: t('adminConfig.navProtocols'), visible: hasPermission(session, 'config.manage') },
  ].filter((section) => section.visible);

  return (
    <>
      <nav aria-label={t('admin.sections')}>
        <Group gap="xs" mb="lg" component="ul" className="plain-list">
          {sections.map((section) => (
            <li key={section.to}>
              <Button
                component={NavLink}
                to={section.to}
                variant={pathname.startsWith(section.to) ? 'filled' : 'default'}
                size="sm"
              >
                {section.label}
              </Button>
            </li>
          ))}
        </Group>
      </nav>
      <Outlet />
    </>
  );
}

export function adminHome(session: Session): string | null {
  if (hasPermission(session, 'user.list')) return '/admin/users';
  if (hasPermission(session, 'audit.read')) return '/admin/audit';
  if (hasPermission(session, 'channel.manage')) return '/admin/channels';
  if (hasPermission(session, 'config.manage')) return '/admin/contact-form';
  return null;
}
