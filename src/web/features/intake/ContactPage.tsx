import { Alert, Anchor, Badge, Button, Center, Grid, Group, Loader, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useFormatDateTime } from '../../i18n/format.js';
import { describeError } from '../auth/errors.js';
import { hasPermission, type Session, type SessionUser } from '../auth/session.js';
import { FlagBadges } from './Badges.js';
import { ChannelLabel } from './ChannelLabel.js';
import { Conversation, ReplyBox } from './Conversation.js';
import { DocumentationForm } from './DocumentationForm.js';
import { changesOf, draftOf, type Draft } from './draft.js';
import { contactKey, QUEUE_KEY, staleCurrent, useContact, useContactForm, useQueueAction, type Contact, type TransferTarget } from './intakeApi.js';
import { LiveIndicator } from './live.js';
import { MergeDialog } from './MergeDialog.js';
import { TransferHistory, TransferReceived } from './TransferHistory.js';
import { TransferModal } from './TransferModal.js';
import { NON_DATA_REQUEST_TYPES } from './vocabulary.js';
import { AssessmentWorkspace } from '../assessment/AssessmentWorkspace.js';
import { ContactCasePanel } from '../cases/ContactCasePanel.js';

type SessionWithUser = Session & { user: SessionUser };

export function ContactPage({ session }: { session: SessionWithUser }) {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const contact = useContact(id);
  if (contact.isPending) {
    return (
      <Center py="xl" role="status">
        <Loader aria-hidden size="sm" mr="sm" />
        <Text>{t('common.loading')}</Text>
      </Center>
    );
  }
  if (contact.isError) {
    return (
      <Stack maw={720}>
        <PageHeader title={t('contact.title')} />
        <ErrorAlert error={contact.error} />
        <Anchor component={Link} to="/queue">
          {t('contact.backToQueue')}
        </Anchor>
      </Stack>
    );
  }
  return <ContactWorkspace key={contact.data.id} contact={contact.data} session={session} />;
}

interface Editing {
  /** The saved record the draft started from: its version goes with the next save. */
  base: Draft;
  baseVersion: number;
  draft: Draft;
}

function ContactWorkspace({ contact, session }: { contact: Contact; session: SessionWithUser }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? 'en';
  const formatDateTime = useFormatDateTime();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const config = useContactForm();
  const queueAction = useQueueAction();
  const [editing, setEditing] = useState<Editing>(() => ({ base: draftOf(contact), baseVersion: contact.version, draft: draftOf(contact) }));
  const [conflict, setConflict] = useState<Contact | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);
  const [closeOpen, setCloseOpen] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  const me = session.user.id;
  const isMine = contact.assignedTo === me;
  const isSupervisor = hasPermission(session, 'queue.supervise');
  const canEdit = contact.status !== 'closed' && (isMine || isSupervisor);
  const changes = changesOf(editing.base, editing.draft, config.data?.form);
  const dirty = Object.keys(changes).length > 0;
  const reference = contact.reference;

  // Someone else saved (a live event re-read the record). Untouched form: follow it. Edited form: keep the edits;
  // the next save answers 409 and the merge dialog shows both versions.
  const behind = contact.version !== editing.baseVersion;
  useEffect(() => {
    if (behind && !dirty) setEditing({ base: draftOf(contact), baseVersion: contact.version, draft: draftOf(contact) });
  }, [behind, dirty, contact]);
  const contentChangedElsewhere = behind && dirty;

  const save = useMutation({
    mutationFn: (input: { version: number; body: Record<string, unknown> }) =>
      api.patch<{ contact: Contact }>(`/api/contacts/${encodeURIComponent(contact.id)}`, { version: input.version, ...input.body }),
    onSuccess: ({ contact: saved }) => {
      queryClient.setQueryData(contactKey(contact.id), { contact: saved });
      void queryClient.invalidateQueries({ queryKey: QUEUE_KEY });
      setEditing({ base: draftOf(saved), baseVersion: saved.version, draft: draftOf(saved) });
      setConflict(null);
      setSavedAt(new Date().toISOString());
    },
    onError: (error) => {
      const current = staleCurrent(error);
      if (current) setConflict(current);
    },
  });

  const saveNow = useCallback(() => {
    if (!dirty || save.isPending) return;
    save.mutate({ version: editing.baseVersion, body: changes });
  }, [dirty, save, editing.baseVersion, changes]);

  // Ctrl/Cmd+S saves: advocates type notes during a conversation and should not have to reach for the mouse.
  const saveRef = useRef(saveNow);
  saveRef.current = saveNow;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        saveRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const mergeSave = (merged: Draft) => {
    if (!conflict) return;
    const theirs = draftOf(conflict);
    // From now on the other person's record is the base: the merged result is saved on top of their version.
    setEditing({ base: theirs, baseVersion: conflict.version, draft: merged });
    const body = changesOf(theirs, merged, config.data?.form);
    if (Object.keys(body).length === 0) {
      queryClient.setQueryData(contactKey(contact.id), { contact: conflict });
      setEditing({ base: theirs, baseVersion: conflict.version, draft: theirs });
      setConflict(null);
      return;
    }
    save.mutate({ version: conflict.version, body });
  };

  const failed = (title: string) => (error: unknown) => notifications.show({ color: 'red', title, message: describeError(error, t, locale) });

  const release = () =>
    queueAction.mutate(
      { action: 'release', id: contact.id },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('contact.released', { reference }) });
          navigate('/queue');
        },
        onError: failed(t('contact.releaseFailed')),
      },
    );

  const transfer = (target: TransferTarget) =>
    queueAction.mutate(
      { action: 'transfer', id: contact.id, body: target },
      {
        onSuccess: () => {
          setTransferOpen(false);
          notifications.show({ color: 'green', message: t('transfer.done', { reference }) });
          navigate('/queue');
        },
      },
    );

  const close = useMutation({
    mutationFn: async (status: 'wrap_up' | 'closed') => {
      let version = contact.version;
      if (dirty) {
        const saved = await api.patch<{ contact: Contact }>(`/api/contacts/${encodeURIComponent(contact.id)}`, { version: editing.baseVersion, ...changes });
        version = saved.contact.version;
      }
      return api.post<{ contact: Contact }>(`/api/contacts/${encodeURIComponent(contact.id)}/close`, { version, status });
    },
    onSuccess: ({ contact: closed }, status) => {
      queryClient.setQueryData(contactKey(contact.id), { contact: closed });
      void queryClient.invalidateQueries({ queryKey: QUEUE_KEY });
      setEditing({ base: draftOf(closed), baseVersion: closed.version, draft: draftOf(closed) });
      setCloseOpen(false);
      notifications.show({ color: 'green', message: t(status === 'closed' ? 'contact.closed' : 'contact.wrappedUp', { reference }) });
      if (status === 'closed') navigate('/queue');
    },
    onError: (error) => {
      const current = staleCurrent(error);
      if (current) {
        setCloseOpen(false);
        setConflict(current);
      }
    },
  });

  const nonData = editing.draft.requestType !== null && (NON_DATA_REQUEST_TYPES as readonly string[]).includes(editing.draft.requestType);

  return (
    <Stack gap="md">
      <PageHeader
        title={t('contact.heading', { reference })}
        context={t('nav.contacts')}
        description={
          <Group gap="sm" component="span" wrap="wrap">
            <ChannelLabel channel={contact.channel} />
            <span>·</span>
            <span>{t('contact.received', { time: formatDateTime(contact.receivedAt) })}</span>
            <span>·</span>
            <span data-testid="contact-status">{t(`status.${contact.status}`)}</span>
            {contact.sensitivity === 'restricted' ? (
              <Badge color="gray" variant="light">
                {t('contact.restrictedBadge')}
              </Badge>
            ) : null}
          </Group>
        }
        actions={
          <>
            <LiveIndicator />
            {contact.status === 'in_progress' && (isMine || isSupervisor) ? (
              <>
                <Button variant="default" onClick={release} loading={queueAction.isPending && queueAction.variables?.action === 'release'}>
                  {t('contact.release')}
                </Button>
                {hasPermission(session, 'queue.transfer') ? (
                  <Button variant="default" onClick={() => { queueAction.reset(); setTransferOpen(true); }}>
                    {t('contact.transfer')}
                  </Button>
                ) : null}
              </>
            ) : null}
            {canEdit ? (
              <Button color="dark" onClick={() => { close.reset(); setCloseOpen(true); }}>
                {t('contact.finish')}
              </Button>
            ) : null}
          </>
        }
      />
      <FlagBadges flags={contact.flags} size="lg" />
      <TransferReceived contact={contact} currentUserId={me} isSupervisor={isSupervisor} />
      {contact.status === 'waiting' ? (
        <Alert color="blue" variant="light" title={t('contact.waitingTitle')}>
          <Group justify="space-between" gap="sm">
            <Text size="sm">{t('contact.waitingBody')}</Text>
            {hasPermission(session, 'queue.claim') ? (
              <Button
                size="sm"
                onClick={() => queueAction.mutate({ action: 'claim', id: contact.id }, { onSuccess: () => void queryClient.invalidateQueries({ queryKey: contactKey(contact.id) }), onError: failed(t('queue.takeFailed')) })}
                loading={queueAction.isPending && queueAction.variables?.action === 'claim'}
              >
                {t('queue.take')}
              </Button>
            ) : null}
          </Group>
        </Alert>
      ) : !canEdit && contact.status !== 'closed' ? (
        <Alert color="gray" variant="light">
          {t('contact.someoneElse')}
        </Alert>
      ) : null}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="conversation-title">
            <Title order={2} size="h4" id="conversation-title" mb="sm">
              {t('contact.conversation')}
            </Title>
            {contact.correspondent || contact.subject ? (
              <Text size="sm" mb="sm">
                {contact.correspondent ? t('contact.correspondent', { value: contact.correspondent }) : null}
                {contact.subject ? ` · ${t('contact.subject', { value: contact.subject })}` : null}
              </Text>
            ) : null}
            <Stack gap="md">
              <Conversation contact={contact} />
              {contact.status !== 'closed' ? <ReplyBox contact={contact} canReply={canEdit && hasPermission(session, 'contact.reply')} /> : null}
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="documentation-title">
            <form
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                saveNow();
              }}
            >
              <Group justify="space-between" mb="sm" wrap="wrap">
                <Title order={2} size="h4" id="documentation-title">
                  {t('contact.documentation')}
                </Title>
                <Text size="sm" c="dimmed" role="status" data-testid="save-state">
                  {save.isPending ? t('contact.saving') : dirty ? t('contact.unsaved') : savedAt ? t('contact.savedAt', { time: formatDateTime(savedAt) }) : t('contact.upToDate')}
                </Text>
              </Group>
              <Stack gap="md">
                {contentChangedElsewhere ? (
                  <Alert color="orange" variant="light" title={t('contact.changedElsewhereTitle')}>
                    {t('contact.changedElsewhere')}
                  </Alert>
                ) : null}
                {config.isError ? <ErrorAlert error={config.error} title={t('contact.formFailed')} /> : null}
                {save.isError && !staleCurrent(save.error) ? <ErrorAlert error={save.error} title={t('contact.saveFailed')} /> : null}
                <DocumentationForm
                  draft={editing.draft}
                  onChange={(draft) => setEditing((e) => ({ ...e, draft }))}
                  config={config.data}
                  hotlineLocales={session.user.hotline.locales}
                  disabled={!canEdit}
                />
                {canEdit ? (
                  <Group justify="flex-end" gap="sm">
                    <Text size="sm" c="dimmed">
                      {t('contact.saveShortcut')}
                    </Text>
                    <Button type="submit" loading={save.isPending} disabled={!dirty} aria-keyshortcuts="Control+S">
                      {t('common.save')}
                    </Button>
                  </Group>
                ) : null}
              </Stack>
            </form>
          </Paper>
        </Grid.Col>
      </Grid>
      <TransferHistory transfers={contact.transfers ?? []} />
      <AssessmentWorkspace contact={contact} session={session} />
      {hasPermission(session, 'case.read') ? <ContactCasePanel contactId={contact.id} session={session} /> : null}

      <MergeDialog
        opened={conflict !== null}
        base={editing.base}
        mine={editing.draft}
        theirs={conflict ? draftOf(conflict) : editing.base}
        config={config.data}
        pending={save.isPending}
        error={save.isError && !staleCurrent(save.error) ? save.error : null}
        onSave={mergeSave}
        onClose={() => setConflict(null)}
      />
      <TransferModal
        opened={transferOpen}
        reference={reference}
        currentUserId={me}
        language={contact.language}
        pending={queueAction.isPending}
        error={queueAction.error}
        onTransfer={transfer}
        onClose={() => setTransferOpen(false)}
      />
      <Modal opened={closeOpen} onClose={() => setCloseOpen(false)} title={t('finish.title', { reference })}>
        <Stack gap="md">
          <Text>{nonData ? t('finish.nonData') : t('finish.intro')}</Text>
          {dirty ? <Text size="sm">{t('finish.willSave')}</Text> : null}
          {!editing.draft.requestType ? (
            <Alert color="orange" variant="light">
              {t('finish.noRequestType')}
            </Alert>
          ) : null}
          <ErrorAlert error={close.error && !staleCurrent(close.error) ? close.error : null} title={t('finish.failed')} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setCloseOpen(false)} data-autofocus>
              {t('common.cancel')}
            </Button>
            {contact.status !== 'wrap_up' ? (
              <Button variant="default" onClick={() => close.mutate('wrap_up')} loading={close.isPending && close.variables === 'wrap_up'}>
                {t('finish.wrapUp')}
              </Button>
            ) : null}
            <Button onClick={() => close.mutate('closed')} loading={close.isPending && close.variables === 'closed'}>
              {t('finish.close')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
