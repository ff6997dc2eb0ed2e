import { Button, Group, Modal, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useUsers } from '../admin/adminApi.js';
import type { TransferTarget } from './intakeApi.js';

interface TransferModalProps {
  opened: boolean;
  reference: string;
  currentUserId: string;
  /** Only people allowed to list users can pick a colleague; everyone can hand over to the supervisors. */
  canListUsers: boolean;
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

function TransferForm({ currentUserId, canListUsers, pending, error, onTransfer, onClose }: TransferModalProps) {
  const { t } = useTranslation();
  const users = useUsers(canListUsers);
  const colleagues = (users.data ?? []).filter((u) => u.isActive && u.id !== currentUserId && u.roles.some((r) => r === 'advocate' || r === 'supervisor'));
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
            ? [{ group: t('transfer.colleagues'), items: colleagues.map((u) => ({ value: u.id, label: `${u.displayName} (${u.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ')})` })) }]
            : []),
        ]}
      />
      <Text size="sm" c="dimmed">
        {target === 'supervisors' ? t('transfer.supervisorsHint') : t('transfer.colleagueHint')}
        {!canListUsers ? ` ${t('transfer.onlySupervisors')}` : ''}
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
