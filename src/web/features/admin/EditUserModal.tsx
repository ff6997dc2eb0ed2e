import { Button, Checkbox, Fieldset, Group, Modal, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS } from '../../../shared/intake.js';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { USERS_KEY, type AdminUser } from './adminApi.js';
import { RoleCheckboxes } from './RoleCheckboxes.js';

interface EditUserModalProps {
  user: AdminUser | null;
  onClose: () => void;
}

/** Common two-letter codes offered while typing; any ISO 639-1 code can be entered. */
const LANGUAGE_SUGGESTIONS = ['en', 'es', 'fr', 'pt', 'ar', 'zh', 'ru', 'uk', 'tl', 'vi', 'ko', 'hi', 'ti', 'am', 'so', 'sw', 'ht', 'ro', 'pl', 'th'];

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
  const [languages, setLanguages] = useState<string[]>(user.languages ?? []);
  const [skills, setSkills] = useState<string[]>(user.skills ?? []);
  const [teams, setTeams] = useState<string[]>(user.teams ?? []);
  const [touched, setTouched] = useState(false);

  const save = useMutation({
    mutationFn: () =>
      api.patch<{ user: AdminUser }>(`/api/admin/users/${encodeURIComponent(user.id)}`, {
        displayName: displayName.trim(),
        roles,
        languages: languages.map((l) => l.trim().toLowerCase()),
        skills,
        teams: teams.map((x) => x.trim().toLowerCase()),
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
        {roles.some((r) => r === 'advocate' || r === 'supervisor') ? (
          <Fieldset legend={t('users.routing.title')}>
            <Text size="sm" c="dimmed" mb="xs">{t('users.routing.help')}</Text>
            <Stack gap="sm">
              <TagsInput label={t('users.routing.languages')} description={t('users.routing.languagesHelp')} data={LANGUAGE_SUGGESTIONS} value={languages} onChange={setLanguages} maxTags={20} clearable />
              <Checkbox.Group label={t('users.routing.channels')} description={t('users.routing.channelsHelp')} value={skills} onChange={setSkills}>
                <Group gap="sm" mt={4}>
                  {CHANNELS.map((c) => <Checkbox key={c} value={c} label={t(`channel.${c}`)} />)}
                </Group>
              </Checkbox.Group>
              <TagsInput label={t('users.routing.teams')} description={t('users.routing.teamsHelp')} value={teams} onChange={setTeams} maxTags={10} clearable />
            </Stack>
          </Fieldset>
        ) : null}
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
