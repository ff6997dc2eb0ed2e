import { Button, Center, Loader, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { hasPermission, type Session } from '../auth/session.js';
import { USERS_KEY, useUsers, type AdminUser } from './adminApi.js';
import { ConfirmModal } from './ConfirmModal.js';
import { CreateUserModal } from './CreateUserModal.js';
import { EditUserModal } from './EditUserModal.js';
import { TemporaryPasswordModal } from './TemporaryPasswordModal.js';
import { UsersTable, type UserAction } from './UsersTable.js';

type Pending = { action: Exclude<UserAction, 'edit'>; user: AdminUser } | null;

export function UsersPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useUsers();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [tempPassword, setTempPassword] = useState<
    { email: string; password: string; reason: 'created' | 'reset' } | null
  >(null);
  const can = (permission: string) => hasPermission(session, permission);

  const run = useMutation({
    mutationFn: async ({ action, user }: NonNullable<Pending>) => {
      const base = `/api/admin/users/${encodeURIComponent(user.id)}`;
      if (action === 'reset-password') {
        const { temporaryPassword } = await api.post<{ temporaryPassword: string }>(`${base}/reset-password`);
        return { temporaryPassword };
      }
      await api.post<unknown>(`${base}/${action}`);
      return { temporaryPassword: null };
    },
    onSuccess: async ({ temporaryPassword }, { action, user }) => {
      setPending(null);
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      if (temporaryPassword) {
        setTempPassword({ email: user.email, password: temporaryPassword, reason: 'reset' });
      } else {
        notifications.show({ color: 'green', message: t(`users.done.${action}`, { email: user.email }) });
      }
    },
  });

  const onAction = (action: UserAction, user: AdminUser) => {
    if (action === 'edit') setEditing(user);
    else {
      run.reset();
      setPending({ action, user });
    }
  };

  return (
    <Stack gap="md">
      <PageHeader
        title={t('users.title')}
        context={t('nav.admin')}
        description={t('users.intro')}
        actions={can('user.create') ? <Button onClick={() => setCreating(true)}>{t('users.create')}</Button> : null}
      />
      {users.isPending ? (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      ) : users.isError ? (
        <ErrorAlert error={users.error} />
      ) : (
        <UsersTable users={users.data} currentUserId={session.user?.id ?? ''} can={can} onAction={onAction} />
      )}

      <CreateUserModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(user, password) => {
          setCreating(false);
          setTempPassword({ email: user.email, password, reason: 'created' });
        }}
      />
      <EditUserModal user={editing} onClose={() => setEditing(null)} />
      <TemporaryPasswordModal value={tempPassword} onClose={() => setTempPassword(null)} />
      <ConfirmModal
        opened={pending !== null}
        title={pending ? t(`users.confirm.${pending.action}.title`) : ''}
        message={pending ? t(`users.confirm.${pending.action}.message`, { email: pending.user.email }) : ''}
        confirmLabel={pending ? t(`users.confirm.${pending.action}.button`) : ''}
        danger={pending?.action === 'deactivate' || pending?.action === 'reset-mfa'}
        pending={run.isPending}
        error={run.error}
        onConfirm={() => pending && run.mutate(pending)}
        onClose={() => setPending(null)}
      />
    </Stack>
  );
}
