import { Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Locale } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { currentLocale, LOCALE_NAMES, LOCALES } from '../../i18n/index.js';
import { USERS_KEY, type AdminUser } from './adminApi.js';
import { RoleCheckboxes } from './RoleCheckboxes.js';

interface CreateUserModalProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (user: AdminUser, temporaryPassword: string) => void;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function CreateUserModal({ opened, onClose, onCreated }: CreateUserModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('users.createTitle')} size="lg">
      {/* Mounted only while open so each new user starts from a blank form. */}
      {opened ? <CreateUserForm onCancel={onClose} onCreated={onCreated} /> : null}
    </Modal>
  );
}

function CreateUserForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: CreateUserModalProps['onCreated'] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [locale, setLocale] = useState<Locale>(currentLocale());
  const [touched, setTouched] = useState(false);

  const create = useMutation({
    mutationFn: () =>
      api.post<{ user: AdminUser; temporaryPassword: string }>('/api/admin/users', {
        email: email.trim(),
        displayName: displayName.trim(),
        roles,
        locale,
      }),
    onSuccess: async ({ user, temporaryPassword }) => {
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      onCreated(user, temporaryPassword);
    },
  });

  const errors = {
    email: !email.trim()
      ? t('users.emailRequired')
      : !EMAIL_PATTERN.test(email.trim())
        ? t('users.emailInvalid')
        : undefined,
    displayName: !displayName.trim() ? t('users.nameRequired') : undefined,
    roles: roles.length === 0 ? t('users.rolesRequired') : undefined,
  };
  const emailTaken = create.error && 'code' in create.error && create.error.code === 'email_taken';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (errors.email || errors.displayName || errors.roles) return;
    create.mutate();
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <ErrorAlert error={create.error} title={t('users.createFailed')} />
        <TextInput
          label={t('users.email')}
          type="email"
          autoComplete="off"
          required
          data-autofocus
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={(touched && errors.email) || (emailTaken ? t('errors.email_taken') : undefined)}
        />
        <TextInput
          label={t('users.displayName')}
          autoComplete="off"
          required
          value={displayName}
          onChange={(event) => setDisplayName(event.currentTarget.value)}
          error={touched ? errors.displayName : undefined}
        />
        <RoleCheckboxes hasOrganisation={false} value={roles} onChange={setRoles} error={touched ? errors.roles : undefined} />
        <NativeSelect
          label={t('users.language')}
          value={locale}
          onChange={(event) => setLocale(event.currentTarget.value as Locale)}
          w={240}
        >
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </NativeSelect>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('users.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
