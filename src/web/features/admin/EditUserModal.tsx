import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { USERS_KEY, type AdminUser } from './adminApi.js';
import { RoleCheckboxes } from './RoleCheckboxes.js';

interface EditUserModalProps {
  user: AdminUser | null;
  onClose: () => void;
}

export function EditUserModal({ user, onClose }: EditUserModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={user !== null} onClose={onClose} title={t('users.editTitle', { email: user?.email ?? '' })} size="lg">
      {user ? <EditUserForm key={user.id} user={user} onClose={onClose} /> : null}
    </Modal>
  );
}

function EditUserForm({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<string[]>(user.roles);
  const [touched, setTouched] = useState(false);

  const save = useMutation({
    mutationFn: () =>
      api.patch<{ user: AdminUser }>(`/api/admin/users/${encodeURIComponent(user.id)}`, {
        displayName: displayName.trim(),
        roles,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      notifications.show({ color: 'green', message: t('users.saved', { email: user.email }) });
      onClose();
    },
  });

  const errors = {
    displayName: !displayName.trim() ? t('users.nameRequired') : undefined,
    roles: roles.length === 0 ? t('users.rolesRequired') : undefined,
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (errors.displayName || errors.roles) return;
    save.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <ErrorAlert error={save.error} title={t('users.saveFailed')} />
        <TextInput
          label={t('users.displayName')}
          required
          data-autofocus
          value={displayName}
          onChange={(event) => setDisplayName(event.currentTarget.value)}
          error={touched ? errors.displayName : undefined}
        />
        <RoleCheckboxes hasOrganisation={user.organisationId !== null} value={roles} onChange={setRoles} error={touched ? errors.roles : undefined} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
