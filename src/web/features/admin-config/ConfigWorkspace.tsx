import { Alert, Anchor, Badge, Button, Center, FileButton, Group, List, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ConfirmModal } from '../admin/ConfirmModal.js';
import { exportUrl, issuesOf, useConfigMutations, useVersion, useVersions, type ConfigIssue, type ConfigKind, type ConfigVersion } from './adminConfigApi.js';

export interface EditorProps<T> {
  data: T;
  setData: (next: T) => void;
  readOnly: boolean;
  issues: readonly ConfigIssue[];
  /** The editor reports JSON text fields that do not parse, so Save waits for them. */
  setJsonInvalid: (field: string, invalid: boolean) => void;
  version: number;
}

interface WorkspaceProps<T> {
  kind: ConfigKind;
  title: string;
  intro: string;
  validate: (data: T, version: number) => ConfigIssue[];
  renderEditor: (props: EditorProps<T>) => ReactNode;
}

/** Versions, drafts, validation, save, publish, export and import around one kind's form editor. */
export function ConfigWorkspace<T>(props: WorkspaceProps<T>) {
  const { t } = useTranslation();
  const versions = useVersions(props.kind);
  const [selected, setSelected] = useState<number | null>(null);
  const [dirty, setDirty] = useState(false);
  // Opening another version drops unsaved edits: ask first.
  const open = (version: number | null) => {
    if (dirty && !window.confirm(t('adminConfig.leaveUnsaved'))) return;
    setDirty(false);
    setSelected(version);
  };
  const shown = selected ?? versions.data?.draft ?? versions.data?.current ?? null;
  const version = useVersion(props.kind, shown);

  if (versions.isPending || (shown !== null && version.isPending)) {
    return (
      <Center py="xl" role="status">
        <Loader aria-hidden size="sm" mr="sm" />
        <Text>{t('common.loading')}</Text>
      </Center>
    );
  }
  if (versions.isError) return <ErrorAlert error={versions.error} />;
  if (version.isError) return <ErrorAlert error={version.error} />;
  const loaded = version.data!;
  return (
    <Stack gap="md">
      <PageHeader title={props.title} context={t('nav.admin')} description={props.intro} />
      <Workspace
        key={`${loaded.version.version}:${loaded.version.status}`}
        {...props}
        info={loaded.version}
        initial={loaded.data as T}
        draftVersion={versions.data.draft}
        onOpen={(version) => {
          setDirty(false);
          setSelected(version);
        }}
        onDirty={setDirty}
      />
      <VersionsTable kind={props.kind} items={versions.data.items} shown={loaded.version.version} onOpen={open} />
    </Stack>
  );
}

function Workspace<T>(props: WorkspaceProps<T> & { info: ConfigVersion; initial: T; draftVersion: number | null; onOpen: (version: number | null) => void; onDirty: (dirty: boolean) => void }) {
  const { t } = useTranslation();
  const { kind, info } = props;
  const isDraft = info.status === 'draft';
  const [data, setDataState] = useState<T>(props.initial);
  const [dirty, setDirtyState] = useState(false);
  const [updatedAt, setUpdatedAt] = useState(info.updatedAt);
  const { onDirty } = props;
  const setDirty = (value: boolean) => {
    setDirtyState(value);
    onDirty(value);
  };
  const [badJson, setBadJson] = useState<Record<string, boolean>>({});
  const [confirm, setConfirm] = useState<'publish' | 'discard' | null>(null);
  const m = useConfigMutations(kind);
  const { validate } = props;
  const liveIssues = useMemo(() => validate(data, info.version), [data, info.version, validate]);
  const serverIssues = issuesOf(m.save.error ?? m.publish.error);
  const issues = liveIssues.length ? liveIssues : serverIssues;
  const hasBadJson = Object.values(badJson).some(Boolean);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const setData = (next: T) => {
    setDataState(next);
    setDirty(true);
    if (m.save.isError) m.save.reset();
  };
  const saveDraft = async () => {
    const saved = await m.save.mutateAsync({ version: info.version, data, ifUpdatedAt: updatedAt });
    setUpdatedAt(saved.updatedAt);
    setDirty(false);
    return saved;
  };
  const save = async () => {
    const saved = await saveDraft();
    notifications.show({ color: 'green', message: t('adminConfig.saved', { version: saved.version }) });
  };
  const publish = async () => {
    try {
      if (dirty) await saveDraft();
      const published = await m.publish.mutateAsync(info.version);
      setConfirm(null);
      notifications.show({ color: 'green', message: t('adminConfig.publishedNotice', { version: published.version }) });
    } catch {
      // shown by the modal (ErrorAlert) and beside the fields
    }
  };
  const discard = async () => {
    await m.discard.mutateAsync(info.version);
    setConfirm(null);
    props.onOpen(null);
  };
  const newDraft = async () => {
    const created = await m.createDraft.mutateAsync(info.version);
    props.onOpen(created.version);
  };
  const onImport = async (file: File | null) => {
    if (!file) return;
    try {
      const created = await m.importJson.mutateAsync(await file.text());
      notifications.show({ color: 'green', message: t('adminConfig.imported', { version: created.version }) });
      props.onOpen(created.version);
    } catch {
      // shown below
    }
  };

  const importIssues = issuesOf(m.importJson.error);
  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm">
            <Title order={2} size="h4" id="config-version-title">
              {t('adminConfig.versionTitle', { version: info.version })}
            </Title>
            <StatusBadge info={info} />
            {dirty ? <Badge color="orange" variant="light">{t('adminConfig.unsaved')}</Badge> : null}
          </Group>
          <Group gap="xs" wrap="wrap">
            {isDraft ? (
              <>
                <Button variant="default" onClick={() => void save().catch(() => undefined)} loading={m.save.isPending} disabled={!dirty || liveIssues.length > 0 || hasBadJson}>
                  {t('adminConfig.saveDraft')}
                </Button>
                <Button onClick={() => setConfirm('publish')} disabled={liveIssues.length > 0 || hasBadJson}>
                  {t('adminConfig.publish')}
                </Button>
                <Button variant="default" color="red" onClick={() => setConfirm('discard')}>
                  {t('adminConfig.discard')}
                </Button>
              </>
            ) : (
              <Button onClick={() => void newDraft().catch(() => undefined)} loading={m.createDraft.isPending} disabled={props.draftVersion !== null}>
                {t('adminConfig.newDraftFrom', { version: info.version })}
              </Button>
            )}
            <Button component="a" href={exportUrl(kind, info.version)} download variant="default">
              {t('adminConfig.export')}
            </Button>
            <FileButton onChange={(file) => void onImport(file)} accept="application/json,.json">
              {(fileProps) => (
                <Button {...fileProps} variant="default" loading={m.importJson.isPending} disabled={props.draftVersion !== null}>
                  {t('adminConfig.import')}
                </Button>
              )}
            </FileButton>
          </Group>
        </Group>
        <Text size="sm" c="dimmed" mt="xs">
          {isDraft ? t('adminConfig.draftHint') : props.draftVersion !== null ? t('adminConfig.draftOpenHint', { version: props.draftVersion }) : t('adminConfig.readOnlyHint')}
        </Text>
        <Stack gap="xs" mt="xs">
          <ErrorAlert error={m.createDraft.error} />
          <ErrorAlert error={m.discard.error} />
          {importIssues.length ? <IssueList title={t('adminConfig.importRefused')} issues={importIssues} /> : <ErrorAlert error={m.importJson.error} title={t('adminConfig.importRefused')} />}
          {m.save.isError && !serverIssues.length ? <ErrorAlert error={m.save.error} /> : null}
          {isDraft && issues.length ? <IssueList title={t('adminConfig.problems', { count: issues.length })} issues={issues} /> : null}
        </Stack>
      </Paper>
      {props.renderEditor({
        data,
        setData,
        readOnly: !isDraft,
        issues,
        setJsonInvalid: (field, invalid) => setBadJson((current) => (current[field] === invalid ? current : { ...current, [field]: invalid })),
        version: info.version,
      })}
      <ConfirmModal
        opened={confirm === 'publish'}
        title={t('adminConfig.publishTitle', { version: info.version })}
        message={t('adminConfig.publishMessage')}
        confirmLabel={t('adminConfig.publishConfirm')}
        pending={m.save.isPending || m.publish.isPending}
        error={m.publish.error ?? (confirm === 'publish' ? m.save.error : null)}
        onConfirm={() => void publish()}
        onClose={() => setConfirm(null)}
      />
      <ConfirmModal
        opened={confirm === 'discard'}
        title={t('adminConfig.discardTitle', { version: info.version })}
        message={t('adminConfig.discardMessage')}
        confirmLabel={t('adminConfig.discard')}
        danger
        pending={m.discard.isPending}
        error={m.discard.error}
        onConfirm={() => void discard().catch(() => undefined)}
        onClose={() => setConfirm(null)}
      />
    </Stack>
  );
}

function IssueList({ title, issues }: { title: string; issues: readonly ConfigIssue[] }) {
  return (
    <Alert color="red" variant="light" title={title} role="alert" data-testid="config-issues">
      <List size="sm" spacing={2}>
        {issues.slice(0, 30).map((issue, i) => (
          <List.Item key={i}>
            <Text span fw={600}>{issue.subject}</Text> <Text span ff="monospace" size="xs">({issue.path})</Text>: {issue.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function StatusBadge({ info }: { info: ConfigVersion }) {
  const { t } = useTranslation();
  const color = info.status === 'draft' ? 'yellow' : info.status === 'published' ? 'green' : 'gray';
  return (
    <Group gap={4}>
      <Badge color={color} variant="light" c="dark.8">{t(`adminConfig.status.${info.status}`)}</Badge>
      {info.isCurrent ? <Badge color="blue" variant="light" c="dark.8">{t('adminConfig.inUse')}</Badge> : null}
    </Group>
  );
}

function VersionsTable({ kind, items, shown, onOpen }: { kind: ConfigKind; items: ConfigVersion[]; shown: number; onOpen: (version: number) => void }) {
  const { t, i18n } = useTranslation();
  const when = (value: string | null) => (value ? new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value)) : '—');
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="config-versions-title">
      <Title order={2} size="h4" id="config-versions-title" mb="sm">
        {t('adminConfig.versions')}
      </Title>
      <Table.ScrollContainer minWidth={700}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('adminConfig.version')}</Table.Th>
              <Table.Th scope="col">{t('adminConfig.statusLabel')}</Table.Th>
              <Table.Th scope="col">{t('adminConfig.basedOn')}</Table.Th>
              <Table.Th scope="col">{t('adminConfig.created')}</Table.Th>
              <Table.Th scope="col">{t('adminConfig.published')}</Table.Th>
              <Table.Th scope="col"><span className="visually-hidden">{t('adminConfig.actions')}</span></Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.version} data-version={item.version} aria-current={item.version === shown ? 'true' : undefined}>
                <Table.Th scope="row">v{item.version}</Table.Th>
                <Table.Td><StatusBadge info={item} /></Table.Td>
                <Table.Td>{item.source === 'import' ? t('adminConfig.importedFile') : item.basedOn === null ? '—' : `v${item.basedOn}`}</Table.Td>
                <Table.Td>{item.status === 'shipped' ? t('adminConfig.shippedWith') : `${item.createdBy?.name ?? '—'}, ${when(item.createdAt)}`}</Table.Td>
                <Table.Td>{item.publishedAt ? `${item.publishedBy?.name ?? '—'}, ${when(item.publishedAt)}` : '—'}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="compact-sm" variant={item.version === shown ? 'filled' : 'default'} onClick={() => onOpen(item.version)} aria-label={t('adminConfig.openVersion', { version: item.version })}>
                      {t('adminConfig.open')}
                    </Button>
                    <Anchor href={exportUrl(kind, item.version)} download size="sm" aria-label={t('adminConfig.exportVersion', { version: item.version })}>
                      {t('adminConfig.export')}
                    </Anchor>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
