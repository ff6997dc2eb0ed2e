import { Alert, Anchor, Badge, Button, Center, Grid, Group, Loader, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, isApiError } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useFormatDateTime } from '../../i18n/format.js';
import { POLARIS_TYPOLOGY } from '../../../shared/assessment/polaris-typology.js';
import { hasPermission, type Session, type SessionUser } from '../auth/session.js';
import { CaseReferrals } from '../referrals/CaseReferrals.js';
import { AddPersonModal } from './AddPersonModal.js';
import { CaseEntities } from './CaseEntities.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { CaseDetailsForm } from './CaseDetailsForm.js';
import { caseKey, personName, useCase, type CaseRecord } from './casesApi.js';
import { CaseTimeline } from './CaseTimeline.js';

type SessionWithUser = Session & { user: SessionUser };

export function CasePage({ session }: { session: SessionWithUser }) {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const found = useCase(id);
  if (found.isPending) {
    return (
      <Center py="xl" role="status">
        <Loader aria-hidden size="sm" mr="sm" />
        <Text>{t('common.loading')}</Text>
      </Center>
    );
  }
  if (found.isError) {
    // A missing case and a restricted one answer the same; a supervisor may still break the glass with a reason.
    if (isApiError(found.error, 'not_found') || isApiError(found.error, 'validation_failed')) {
      return (
        <Stack maw={720}>
          <PageHeader title={t('cases.notFoundTitle')} context={t('nav.cases')} />
          <Alert color="gray" variant="light">{t('cases.notFound')}</Alert>
          {hasPermission(session, 'case.break_glass') && !isApiError(found.error, 'validation_failed') ? <BreakGlassPanel caseId={id} onOpened={() => void found.refetch()} /> : null}
          <Anchor component={Link} to="/cases">{t('cases.backToList')}</Anchor>
        </Stack>
      );
    }
    return <ErrorAlert error={found.error} title={t('cases.loadFailed')} />;
  }
  return <CaseView record={found.data} session={session} />;
}

function CaseView({ record, session }: { record: CaseRecord; session: SessionWithUser }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const canEdit = hasPermission(session, 'case.update');
  const [addPerson, setAddPerson] = useState(false);
  const typology = record.typologyCode ? POLARIS_TYPOLOGY.find((p) => String(p.number) === record.typologyCode) : undefined;
  const breakGlass = record.access.find((a) => a.userId === session.user.id && a.kind === 'break_glass' && a.expiresAt);

  return (
    <Stack gap="md">
      <PageHeader
        title={`${record.reference} · ${record.title}`}
        context={t('nav.cases')}
        description={
          <Group gap="xs" component="span" wrap="wrap">
            <Badge variant="light" color="blue" data-testid="case-status">{t(`cases.status.${record.status}`)}</Badge>
            {record.traffickingTypes.map((k) => (
              <Badge key={k} variant="light" color="grape">{t(`cases.traffickingType.${k}`)}</Badge>
            ))}
            {typology ? <Badge variant="outline" color="gray">{t('cases.typologyBadge', { number: typology.number, name: typology.name })}</Badge> : null}
            {record.sensitivity === 'restricted' ? <Badge color="red" variant="light">{t('cases.restrictedBadge')}</Badge> : null}
            <span>{t('cases.openedAt', { time: formatDateTime(record.openedAt) })}</span>
            <span>·</span>
            <span>{record.assigneeId === session.user.id ? t('cases.assignedToYou') : record.assigneeId ? t('cases.assignedToSomeone') : t('cases.unassigned')}</span>
          </Group>
        }
      />
      {breakGlass ? (
        <Alert color="red" variant="light" title={t('cases.breakGlass.activeTitle')}>
          {t('cases.breakGlass.active', { time: formatDateTime(breakGlass.expiresAt) })}
        </Alert>
      ) : null}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="people-title">
              <Group justify="space-between" mb="sm">
                <Title order={2} size="h4" id="people-title">{t('cases.people')}</Title>
                {canEdit ? <Button size="xs" variant="default" onClick={() => setAddPerson(true)}>{t('cases.addPerson')}</Button> : null}
              </Group>
              {record.people.length === 0 ? <Text size="sm" c="dimmed">{t('cases.noPeople')}</Text> : (
                <Table.ScrollContainer minWidth={520}>
                  <Table verticalSpacing="xs" data-testid="case-people">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('cases.col.role')}</Table.Th>
                        <Table.Th scope="col">{t('cases.col.name')}</Table.Th>
                        <Table.Th scope="col">{t('cases.col.contactDetails')}</Table.Th>
                        <Table.Th scope="col">{t('cases.col.about')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {record.people.map((p) => (
                        <Table.Tr key={`${p.id}:${p.role}`}>
                          <Table.Td>{t(`cases.role.${p.role}`)}</Table.Td>
                          <Table.Td>
                            <Text size="sm" fw={600}>{personName(p.details)}</Text>
                            {p.details.aliases?.length ? <Text size="xs" c="dimmed">{t('cases.aliases', { aliases: p.details.aliases.join(', ') })}</Text> : null}
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{[...(p.details.phones ?? []), ...(p.details.emails ?? [])].join(' · ') || '—'}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">
                              {[p.details.dateOfBirth ? t('cases.born', { date: p.details.dateOfBirth }) : null, p.ageRange ? t(`cases.ageRange.${p.ageRange}`) : null, p.nationality].filter(Boolean).join(' · ') || '—'}
                            </Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Paper>
            <CaseEntities record={record} canEdit={canEdit} />
            <NotesBox caseId={record.id} canEdit={canEdit} />
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="timeline-title">
              <Title order={2} size="h4" id="timeline-title" mb="sm">{t('cases.timeline')}</Title>
              <CaseTimeline record={record} userId={session.user.id} />
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <CaseDetailsForm key={record.id} record={record} user={session.user} canEdit={canEdit} />
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="contacts-title">
              <Title order={2} size="h4" id="contacts-title" mb="sm">{t('cases.contacts')}</Title>
              {record.contacts.length === 0 ? <Text size="sm" c="dimmed">{t('cases.noContacts')}</Text> : (
                <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="case-contacts">
                  {record.contacts.map((c) => (
                    <li key={c.id}>
                      <Anchor component={Link} to={`/contacts/${c.id}`}>{c.reference}</Anchor>
                      <Text span size="sm"> · {t(`channel.${c.channel}`, { defaultValue: c.channel })} · {formatDateTime(c.receivedAt)}</Text>
                    </li>
                  ))}
                </Stack>
              )}
            </Paper>
            {/* The referrals component brings its own heading. */}
            <Paper withBorder p="md" radius="md">
              <CaseReferrals caseId={record.id} />
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
      <AddPersonModal caseId={record.id} opened={addPerson} onClose={() => setAddPerson(false)} />
    </Stack>
  );
}

function NotesBox({ caseId, canEdit }: { caseId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: () => api.post<{ case: CaseRecord }>(`/api/cases/${encodeURIComponent(caseId)}/notes`, { body }),
    onSuccess: ({ case: saved }) => {
      queryClient.setQueryData(caseKey(caseId), saved);
      setBody('');
    },
  });
  if (!canEdit) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="note-title">
      <Title order={2} size="h4" id="note-title" mb="sm">{t('cases.addNote')}</Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (body.trim()) add.mutate();
        }}
      >
        <Stack gap="sm">
          <ErrorAlert error={add.error} title={t('cases.noteFailed')} />
          <Textarea label={t('cases.noteLabel')} description={t('cases.noteHint')} value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={3} maxLength={20000} data-testid="case-note" />
          <Group justify="flex-end">
            <Button type="submit" loading={add.isPending} disabled={!body.trim()}>{t('cases.addNoteButton')}</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
