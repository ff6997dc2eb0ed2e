import { Anchor, Badge, Center, Group, List, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { localize, useJurisdiction } from '../assessment/assessmentApi.js';
import { hasPermission, useSession } from '../auth/session.js';
import { DirectoryMap } from './DirectoryMap.js';
import { PartnerDataForm } from './PartnerDataForm.js';
import { needLabel, useNeeds, usePartnerProfile } from './directoryApi.js';

const VETTING_COLOR: Record<string, string> = { vetted: 'green', prospective: 'orange', suspended: 'red', ended: 'gray' };

export function PartnerProfilePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const profile = usePartnerProfile(id);
  const session = useSession();
  const jurisdiction = useJurisdiction();
  const needs = useNeeds();
  if (profile.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (profile.isError) return <ErrorAlert error={profile.error} />;
  const p = profile.data;
  const yesNo = (v: boolean | null | undefined) => (v === true ? t('common.yes') : v === false ? t('common.no') : t('directory.unknown'));
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/directory">{t('directory.back')}</Anchor>
      <PageHeader title={p.name} context={t('directory.title')} description={p.description ?? undefined} />
      <Group>
        <Badge variant="light" color={VETTING_COLOR[p.vettingStatus] ?? 'gray'} data-testid="vetting-status">{t(`directory.vetting.${p.vettingStatus}`)}</Badge>
        <Text>{p.reviewDueOn ? t('directory.reviewDue', { date: p.reviewDueOn }) : t('directory.noReviewDate')}</Text>
        {p.reviewOverdue ? <Badge color="red" variant="light">{t('directory.reviewOverdue')}</Badge> : null}
        {p.reportingAgencyId ? (
          <Badge color="indigo" variant="light" data-testid="reporting-agency-badge">
            {t('directory.edit.isAgency', { agency: localize(jurisdiction.data?.agencies.find((a) => a.id === p.reportingAgencyId)?.name, i18n.resolvedLanguage ?? 'en') || p.reportingAgencyId })}
          </Badge>
        ) : null}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="partner-accepts">
          <Title order={2} size="h4" id="partner-accepts" mb="sm">{t('directory.acceptsTitle')}</Title>
          <Table>
            <Table.Tbody>
              {['warm_transfers', 'after_hours', 'minors', 'men', 'foreign_nationals', 'lgbtq'].map((flag) => (
                <Table.Tr key={flag}><Table.Th scope="row">{t(`directory.accepts.${flag}`)}</Table.Th><Table.Td>{yesNo(p.accepts[flag])}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="partner-agreement">
          <Title order={2} size="h4" id="partner-agreement" mb="sm">{t('directory.agreementTitle')}</Title>
          <Text>{t('directory.mou', { signed: p.mouSignedOn ?? '—', expires: p.mouExpiresOn ?? '—' })}</Text>
          {p.vettingEvidence ? <Text mt="xs">{t('directory.evidence')}: {p.vettingEvidence}</Text> : null}
          {p.timeZone ? <Text mt="xs">{t('directory.timeZone')}: {p.timeZone}</Text> : null}
          {p.website ? <Text mt="xs">{t('directory.website')}: <Anchor href={p.website} target="_blank" rel="noreferrer noopener">{p.website}</Anchor></Text> : null}
          {p.phones.length ? <List mt="xs">{p.phones.map((ph) => <List.Item key={ph.id}>{ph.number}{ph.description ? ` — ${ph.description}` : ''}</List.Item>)}</List> : null}
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md" component="section" aria-labelledby="partner-protocol">
        <Title order={2} size="h4" id="partner-protocol" mb="sm">{t('directory.protocolTitle')}</Title>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{p.referralProtocol ?? t('directory.noProtocol')}</Text>
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="partner-services">
        <Title order={2} size="h4" id="partner-services" mb="sm">{t('directory.servicesTitle')}</Title>
        <List>
          {p.services.map((s) => (
            <List.Item key={s.id}>
              <Text fw={600} span>{s.name}</Text> — {s.needs.map((n) => needLabel(needs.data, n, i18n.resolvedLanguage ?? 'en')).join(', ') || t('directory.noNeeds')}
            </List.Item>
          ))}
        </List>
        <Title order={3} size="h5" mt="md" mb="xs">{t('directory.locationsTitle')}</Title>
        <List>{p.locations.map((l) => <List.Item key={l.id}>{l.name ?? '—'}{l.latitude !== null ? ` (${l.latitude.toFixed(3)}, ${l.longitude?.toFixed(3)})` : ''}</List.Item>)}</List>
      </Paper>
      {hasPermission(session.data, 'config.manage') ? <PartnerDataForm key={p.id} partner={p} /> : null}
      {p.locations.some((l) => l.latitude !== null && l.longitude !== null) ? (
        <Paper withBorder p="md" component="section" aria-label={t('directory.map.partnerTitle')}>
          <DirectoryMap items={[{
            serviceId: p.id, serviceName: p.name, organizationId: p.id, organizationName: p.name, score: 0, distanceKm: null, openNow: null, reasons: [], vettingStatus: p.vettingStatus, reviewDueOn: p.reviewDueOn,
            places: p.locations.filter((l) => l.latitude !== null && l.longitude !== null).map((l) => ({ locationId: l.id, name: l.name, lat: l.latitude!, lon: l.longitude! })), areas: [],
          }]} />
        </Paper>
      ) : null}
    </Stack>
  );
}
