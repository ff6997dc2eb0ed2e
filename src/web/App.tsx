import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { ErrorAlert } from './components/ErrorAlert.js';
import { AdminLayout, adminHome } from './features/admin/AdminLayout.js';
import { ChangePasswordPage } from './features/auth/ChangePasswordPage.js';
import { canSeeAdmin, hasPermission, useSession, type Session, type SessionUser } from './features/auth/session.js';
import { SignInPage } from './features/auth/SignInPage.js';
import { AccountPage } from './features/shell/AccountPage.js';
import { isPartnerOnly, PARTNER_HOME } from './features/referrals/partnerOnly.js';
import { AREAS } from './features/shell/navigation.js';
import { NotAvailablePage } from './features/shell/NotAvailablePage.js';
import { NotFoundPage } from './features/shell/NotFoundPage.js';
import { Shell } from './features/shell/Shell.js';
import { ContactPage } from './features/intake/ContactPage.js';
import { LiveProvider } from './features/intake/live.js';
import { QueuePage } from './features/intake/QueuePage.js';
import { CasePage } from './features/cases/CasePage.js';
import { CasesPage } from './features/cases/CasesPage.js';
import { SearchPage } from './features/search/SearchPage.js';
import { isLocale } from './i18n/index.js';

// Admin screens load on first use: most people signing in are advocates and never need them.
const UsersPage = lazy(() => import('./features/admin/UsersPage.js').then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import('./features/admin/AuditPage.js').then((m) => ({ default: m.AuditPage })));
const ChannelsPage = lazy(() => import('./features/admin/ChannelsPage.js').then((m) => ({ default: m.ChannelsPage })));
const ContactFormEditorPage = lazy(() => import('./features/admin/ContactFormEditorPage.js').then((m) => ({ default: m.ContactFormEditorPage })));
const SlaPage = lazy(() => import('./features/admin/SlaPage.js').then((m) => ({ default: m.SlaPage })));
const PartnerAccountsPage = lazy(() => import('./features/referrals/PartnerAccountsPage.js').then((m) => ({ default: m.PartnerAccountsPage })));
const InstrumentConfigPage = lazy(() => import('./features/admin-config/InstrumentConfigPage.js').then((m) => ({ default: m.InstrumentConfigPage })));
const ProtocolsConfigPage = lazy(() => import('./features/admin-config/ProtocolsConfigPage.js').then((m) => ({ default: m.ProtocolsConfigPage })));
const WallPage = lazy(() => import('./features/intake/WallPage.js').then((m) => ({ default: m.WallPage })));
const ReportsPage = lazy(() => import('./features/reports/ReportsPage.js').then((m) => ({ default: m.ReportsPage })));
const SchedulingPage = lazy(() => import('./features/scheduling/SchedulingPage.js').then((m) => ({ default: m.SchedulingPage })));
const DirectoryPage = lazy(() => import('./features/directory/DirectoryPage.js').then((m) => ({ default: m.DirectoryPage })));
const PartnerProfilePage = lazy(() => import('./features/directory/PartnerProfilePage.js').then((m) => ({ default: m.PartnerProfilePage })));
const ReferralsPage = lazy(() => import('./features/referrals/ReferralsPage.js').then((m) => ({ default: m.ReferralsPage })));
const CaseReferralsPage = lazy(() => import('./features/referrals/CaseReferralsPage.js').then((m) => ({ default: m.CaseReferralsPage })));
const PartnerReferralsPage = lazy(() => import('./features/referrals/PartnerReferralsPage.js').then((m) => ({ default: m.PartnerReferralsPage })));
const AlertsPage = lazy(() => import('./features/assessment/AlertsPage.js').then((m) => ({ default: m.AlertsPage })));

function Lazy({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <Center py="xl" role="status">
          <Loader aria-hidden size="sm" mr="sm" />
          <Text>{t('common.loading')}</Text>
        </Center>
      }
    >
      {children}
    </Suspense>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const userLocale = session.data?.user?.locale;

  // Signed in, the language saved on the user wins over this device's choice.
  useEffect(() => {
    if (isLocale(userLocale) && userLocale !== i18n.resolvedLanguage) void i18n.changeLanguage(userLocale);
  }, [userLocale, i18n]);

  if (session.isPending) {
    return (
      <Center h="100vh" role="status">
        <Loader aria-hidden mr="sm" />
        <Text>{t('common.loadingApp')}</Text>
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh" p="md">
        <Stack maw={480}>
          <ErrorAlert error={session.error} title={t('common.cannotReachServer')} />
          <Button onClick={() => void session.refetch()}>{t('common.tryAgain')}</Button>
        </Stack>
      </Center>
    );
  }

  const data = session.data;
  if (data.state !== 'signed_in' || !data.user) {
    return <SignInPage state={data.state === 'signed_in' ? 'anonymous' : data.state} />;
  }
  if (data.user.mustChangePassword) return <ChangePasswordPage user={data.user} />;
  return <SignedInRoutes session={data as Session & { user: SessionUser }} />;
}

function SignedInRoutes({ session }: { session: Session & { user: SessionUser } }) {
  if (isPartnerOnly(session)) return <Routes><Route element={<Shell session={session} />}><Route path="partner-referrals/:id?" element={<Lazy><PartnerReferralsPage /></Lazy>} /><Route path="account" element={<AccountPage user={session.user} />} /><Route path="*" element={<Navigate to={PARTNER_HOME} replace />} /></Route></Routes>;
  const home = adminHome(session);
  const routes = (
    <Routes>
      <Route element={<Shell session={session} />}>
        <Route index element={<Navigate to="/queue" replace />} />
        <Route path="queue" element={<QueuePage session={session} />} />
        <Route path="queue/wall" element={<Lazy><WallPage session={session} /></Lazy>} />
        {hasPermission(session, 'metrics.read') ? <Route path="reports" element={<Lazy><ReportsPage session={session} /></Lazy>} /> : null}
        {hasPermission(session, 'task.read') ? <Route path="queue/alerts" element={<Lazy><AlertsPage session={session} /></Lazy>} /> : null}
        {hasPermission(session, 'contact.read') ? <Route path="contacts/:id" element={<ContactPage session={session} />} /> : null}
        {hasPermission(session, 'directory.read') ? <Route path="directory" element={<Lazy><DirectoryPage /></Lazy>} /> : null}
        {hasPermission(session, 'directory.read') ? <Route path="directory/partners/:id" element={<Lazy><PartnerProfilePage /></Lazy>} /> : null}
        {hasPermission(session, 'referral.read') ? <Route path="referrals" element={<Lazy><ReferralsPage session={session} /></Lazy>} /> : null}
        {hasPermission(session, 'referral.read') ? <Route path="referrals/cases/:caseId" element={<Lazy><CaseReferralsPage /></Lazy>} /> : null}
        {hasPermission(session, 'scheduling.plan', 'scheduling.self') ? <Route path="scheduling" element={<Lazy><SchedulingPage session={session} /></Lazy>} /> : null}
        {hasPermission(session, 'case.read') ? <Route path="cases" element={<CasesPage session={session} />} /> : null}
        {hasPermission(session, 'case.read') ? <Route path="cases/:id" element={<CasePage session={session} />} /> : null}
        {hasPermission(session, 'case.read') ? <Route path="search" element={<SearchPage session={session} />} /> : null}
        {AREAS.filter((area) => area !== 'queue' && !(area === 'cases' && hasPermission(session, 'case.read')) && !(area === 'scheduling' && hasPermission(session, 'scheduling.plan', 'scheduling.self')) && !(area === 'directory' && hasPermission(session, 'directory.read')) && !(area === 'referrals' && hasPermission(session, 'referral.read')) && !(area === 'reports' && hasPermission(session, 'metrics.read'))).map((area) => (
          <Route key={area} path={area} element={<NotAvailablePage area={area} />} />
        ))}
        {canSeeAdmin(session) ? (
          <Route path="admin" element={<AdminLayout session={session} />}>
            <Route index element={home ? <Navigate to={home} replace /> : <NotFoundPage />} />
            {hasPermission(session, 'user.list') ? <Route path="users" element={<Lazy><UsersPage session={session} /></Lazy>} /> : null}
            {hasPermission(session, 'audit.read') ? <Route path="audit" element={<Lazy><AuditPage session={session} /></Lazy>} /> : null}
            {hasPermission(session, 'channel.manage') ? <Route path="channels" element={<Lazy><ChannelsPage /></Lazy>} /> : null}
            {hasPermission(session, 'config.manage') ? <Route path="contact-form" element={<Lazy><ContactFormEditorPage /></Lazy>} /> : null}
            {hasPermission(session, 'config.manage') ? <Route path="sla" element={<Lazy><SlaPage /></Lazy>} /> : null}
            {hasPermission(session, 'user.update') ? <Route path="partner-accounts" element={<Lazy><PartnerAccountsPage /></Lazy>} /> : null}
            {hasPermission(session, 'config.manage') ? <Route path="instrument" element={<Lazy><InstrumentConfigPage /></Lazy>} /> : null}
            {hasPermission(session, 'config.manage') ? <Route path="protocols" element={<Lazy><ProtocolsConfigPage /></Lazy>} /> : null}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        ) : null}
        <Route path="account" element={<AccountPage user={session.user} />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
  // Live queue events only for people who may read the queue (the server refuses the socket to others).
  return hasPermission(session, 'queue.read') ? <LiveProvider>{routes}</LiveProvider> : routes;
}
