import { Badge, Button, Center, Group, Loader, Modal, NativeSelect, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Locale } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { currentLocale, LOCALE_NAMES, LOCALES } from '../../i18n/index.js';
import { TemporaryPasswordModal } from '../admin/TemporaryPasswordModal.js';
import { USERS_KEY } from '../admin/adminApi.js';

interface PartnerAccounts {
  organizations: { id: string; name: string; vettingStatus: string; locale: string | null; organisationId: string | null; users: number }[];
  users: { id: string; email: string; displayName: string; isActive: boolean; organisationId: string | null; organisationName: string | null; hsdsOrganizationId: string | null }[];
}
const KEY = ['admin', 'partner-accounts'] as const;

/**
 * Admin screen: which directory organization each partner-role user works for (they see the referrals sent to it),
 * and new partner users created straight into one. Each change is audited on the server.
 */
export function PartnerAccountsPage() {
  const { t } = useTranslation();
  const accounts = useQuery({ queryKey: KEY, queryFn: ({ signal }) => api.get<PartnerAccounts>('/api/admin/partner-accounts', undefined, signal) });
  const [creating, setCreating] = useState(false);
  const [password, setPassword] = useState<{ email: string; password: string; reason: 'created' } | null>(null);
  if (accounts.isPending) return <Center py="xl"><Loader aria-label={t('common.loading')} /></Center>;
  if (accounts.isError) return <ErrorAlert error={accounts.error} />;
  const options = accounts.data.organizations.map((o) => ({ value: o.id, label: `${o.name} · ${t(`directory.vetting.${o.vettingStatus}`, { defaultValue: o.vettingStatus })}` }));
  return (
    <Stack gap="md">
      <PageHeader title={t('referrals.accounts.title')} description={t('referrals.accounts.intro')} />
      <Group><Button onClick={() => setCreating(true)}>{t('referrals.accounts.new')}</Button></Group>
      {accounts.data.users.length === 0 ? <Text c="dimmed">{t('referrals.accounts.none')}</Text> : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" data-testid="partner-accounts">
            <Table.Caption className="visually-hidden">{t('referrals.accounts.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('referrals.accounts.user')}</Table.Th>
                <Table.Th scope="col">{t('referrals.accounts.worksFor')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {accounts.data.users.map((u) => <UserRow key={u.id} user={u} options={options} />)}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('referrals.accounts.new')} size="lg">
        {creating ? <NewPartnerUser options={options} onDone={(created) => { setCreating(false); setPassword({ ...created, reason: 'created' }); }} onCancel={() => setCreating(false)} /> : null}
      </Modal>
      <TemporaryPasswordModal value={password} onClose={() => setPassword(null)} />
    </Stack>
  );
}

function UserRow({ user, options }: { user: PartnerAccounts['users'][number]; options: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string | null>(user.hsdsOrganizationId);
  const save = useMutation({
    mutationFn: () => api.post(`/api/admin/users/${user.id}/partner-organization`, { organizationId: picked }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: KEY });
      notifications.show({ color: 'green', message: t('referrals.accounts.saved', { name: user.displayName }) });
    },
  });
  return (
    <Table.Tr data-user-id={user.id}>
      <Table.Th scope="row" fw={400}>
        <Text fw={600}>{user.displayName}</Text>
        <Text size="sm">{user.email}</Text>
        {!user.isActive ? <Badge color="gray" variant="light" tt="none">{t('referrals.accounts.inactive')}</Badge> : null}
        {user.organisationId && !user.hsdsOrganizationId ? <Text size="sm" c="orange.9">{t('referrals.accounts.notLinked', { name: user.organisationName ?? '' })}</Text> : null}
      </Table.Th>
      <Table.Td>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <Select label={t('referrals.accounts.directoryOrganization', { name: user.displayName })} labelProps={{ className: 'visually-hidden' }} data={options} value={picked} onChange={setPicked} searchable nothingFoundMessage={t('referrals.accounts.noMatch')} placeholder={t('referrals.accounts.pick')} w={420} />
          <Button variant="default" disabled={!picked || picked === user.hsdsOrganizationId} loading={save.isPending} onClick={() => save.mutate()} aria-label={t('referrals.accounts.saveFor', { name: user.displayName })}>{t('common.save')}</Button>
        </Group>
        {save.isError ? <ErrorAlert error={save.error} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A new partner user, created into the account organisation of the directory organization picked. */
function NewPartnerUser({ options, onDone, onCancel }: { options: { value: string; label: string }[]; onDone: (created: { email: string; password: string }) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [locale, setLocale] = useState<Locale>(currentLocale());
  const [organization, setOrganization] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const create = useMutation({
    mutationFn: async () => {
      const link = await api.post<{ organisationId: string }>(`/api/directory/organizations/${organization}/account`, {});
      return api.post<{ user: { email: string }; temporaryPassword: string }>('/api/admin/users', { email: email.trim(), displayName: displayName.trim(), roles: ['partner'], locale, organisationId: link.organisationId });
    },
    onSuccess: async (created) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: KEY }), queryClient.invalidateQueries({ queryKey: USERS_KEY })]);
      onDone({ email: created.user.email, password: created.temporaryPassword });
    },
  });
  const errors = {
    email: !EMAIL_PATTERN.test(email.trim()) ? t('users.emailInvalid') : undefined,
    displayName: !displayName.trim() ? t('users.nameRequired') : undefined,
    organization: !organization ? t('referrals.accounts.pickRequired') : undefined,
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (errors.email || errors.displayName || errors.organization) return;
    create.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <ErrorAlert error={create.error} title={t('users.createFailed')} />
        <TextInput label={t('users.email')} type="email" autoComplete="off" required data-autofocus value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={touched ? errors.email : undefined} />
        <TextInput label={t('users.displayName')} autoComplete="off" required value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} error={touched ? errors.displayName : undefined} />
        <Select label={t('referrals.accounts.worksFor')} required data={options} value={organization} onChange={setOrganization} searchable nothingFoundMessage={t('referrals.accounts.noMatch')} placeholder={t('referrals.accounts.pick')} error={touched ? errors.organization : undefined} />
        <NativeSelect label={t('users.language')} value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)} w={240}>
          {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>)}
        </NativeSelect>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
          <Button type="submit" loading={create.isPending}>{t('users.create')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
