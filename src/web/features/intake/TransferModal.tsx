import { Button, Group, Modal, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useColleagues, type TransferTarget } from './intakeApi.js';

interface TransferModalProps {
  opened: boolean;
  reference: string;
  currentUserId: string;
  /** The contact's language, so colleagues who speak it are marked (routing by language). */
  language: string | null;
  pending: boolean;
  error: unknown;
  onTransfer: (target: TransferTarget) => void;
  onClose: () => void;
}

export function TransferModal(props: TransferModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('transfer.title', { reference: props.reference })}>
      {props.opened ? <TransferForm {...props} /> : null}
    </Modal>
  );
}

function TransferForm({ currentUserId, language, pending, error, onTransfer, onClose }: TransferModalProps) {
  const { t } = useTranslation();
  const people = useColleagues();
  const wanted = language?.slice(0, 2) ?? null;
  const speaks = (c: { languages: string[] }) => !!wanted && c.languages.includes(wanted);
  // Available colleagues who speak the contact's language first.
  const colleagues = (people.data ?? [])
    .filter((c) => c.id !== currentUserId)
    .sort((x, y) => Number(speaks(y)) - Number(speaks(x)) || Number(y.availability === 'available') - Number(x.availability === 'available') || x.name.localeCompare(y.name));
  const describe = (c: (typeof colleagues)[number]) =>
    [
      c.isSupervisor ? t('roles.supervisor') : t('roles.advocate'),
      t(`queue.availability.${c.availability}`, { defaultValue: c.availability }),
      ...(speaks(c) ? [t('transfer.speaksLanguage', { language: t(`languageName.${wanted}`, { defaultValue: wanted }) })] : []),
    ].join(' · ');
  const [target, setTarget] = useState('supervisors');
  const [note, setNote] = useState('');

  const submit = () => {
    const trimmed = note.trim() || undefined;
    onTransfer(target === 'supervisors' ? { toRole: 'supervisor', note: trimmed } : { toUserId: target, note: trimmed });
  };

  return (
    <Stack gap="md">
      <ErrorAlert error={error} title={t('transfer.failed')} />
      <NativeSelect
        label={t('transfer.to')}
        value={target}
        onChange={(e) => setTarget(e.currentTarget.value)}
        data-autofocus
        data={[
          { value: 'supervisors', label: t('transfer.toSupervisors') },
          ...(colleagues.length
            ? [{ group: t('transfer.colleagues'), items: colleagues.map((c) => ({ value: c.id, label: `${c.name} (${describe(c)})` })) }]
            : []),
        ]}
      />
      <Text size="sm" c="dimmed">
        {target === 'supervisors' ? t('transfer.supervisorsHint') : t('transfer.colleagueHint')}
      </Text>
      <Textarea label={t('transfer.note')} description={t('transfer.noteHint')} maxLength={500} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button onClick={submit} loading={pending}>
          {t('transfer.submit')}
        </Button>
      </Group>
    </Stack>
  );
}
