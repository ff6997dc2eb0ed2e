import { Alert, Anchor, Badge, Button, Checkbox, Group, Modal, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { hasPermission, type Session } from '../auth/session.js';
import { useReasonText } from '../search/SearchResults.js';
import { TRAFFICKING_TYPES, useSearch, type CaseRecord, type Suggestion } from './casesApi.js';

const EMPTY = { givenNames: '', familyNames: '', phone: '', email: '', dateOfBirth: '' };

/**
 * On a contact: the cases it belongs to, people and cases that may be the same situation (suggested while the
 * advocate types, each with its reason), linking the contact to a case, or starting a new case from it.
 */
export function ContactCasePanel({ contactId, session }: { contactId: string; session: Session }) {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [typed, setTyped] = useState(EMPTY);
  const [settled] = useDebouncedValue(typed, 300);
  const [find, setFind] = useState('');
  const [findSettled] = useDebouncedValue(find, 300);
  const [startOpen, setStartOpen] = useState(false);
  const canLink = hasPermission(session, 'case.update');

  const body = Object.fromEntries(Object.entries(settled).map(([k, v]) => [k, v.trim()]).filter(([k, v]) => v && (k !== 'dateOfBirth' || /^\d{4}-\d{2}-\d{2}$/.test(v))));
  const suggestions = useQuery({
    queryKey: ['suggestions', contactId, body],
    queryFn: () => api.post<{ items: Suggestion[]; linked: { id: string; reference: string }[] }>(`/api/contacts/${encodeURIComponent(contactId)}/suggestions`, body),
    placeholderData: keepPreviousData,
  });
  const found = useSearch({ q: findSettled.trim(), types: 'case,person' }, findSettled.trim().length >= 2);

  const link = useMutation({
    mutationFn: (caseId: string) => api.post<{ case: CaseRecord }>(`/api/cases/${encodeURIComponent(caseId)}/contacts`, { contactId }),
    onSuccess: ({ case: saved }) => {
      void queryClient.invalidateQueries({ queryKey: ['suggestions', contactId] });
      notifications.show({ color: 'green', message: t('cases.panel.linked', { reference: saved.reference }) });
    },
  });

  const linked = suggestions.data?.linked ?? [];
  const linkedIds = new Set(linked.map((k) => k.id));
  const linkButton = (caseId: string, reference: string) =>
    linkedIds.has(caseId) ? (
      <Badge variant="light" color="green">{t('cases.panel.alreadyLinked')}</Badge>
    ) : canLink ? (
      <Button size="xs" variant="default" onClick={() => link.mutate(caseId)} loading={link.isPending && link.variables === caseId}>
        {t('cases.panel.linkTo', { reference })}
      </Button>
    ) : null;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="contact-case-title" data-testid="contact-case-panel">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id="contact-case-title">{t('cases.panel.title')}</Title>
        {hasPermission(session, 'case.create') ? <Button size="xs" onClick={() => setStartOpen(true)}>{t('cases.panel.start')}</Button> : null}
      </Group>
      <Stack gap="md">
        {linked.length > 0 ? (
          <Text size="sm" data-testid="contact-linked-cases">
            {t('cases.panel.partOf')}{' '}
            {linked.map((k, i) => (
              <span key={k.id}>
                {i > 0 ? ', ' : ''}
                <Anchor component={Link} to={`/cases/${k.id}`}>{k.reference}</Anchor>
              </span>
            ))}
          </Text>
        ) : <Text size="sm" c="dimmed">{t('cases.panel.notLinked')}</Text>}
        <ErrorAlert error={link.error} title={t('cases.panel.linkFailed')} />

        <section aria-labelledby="suggest-title">
          <Title order={3} size="h5" id="suggest-title">{t('cases.panel.knownTitle')}</Title>
          <Text size="xs" c="dimmed" mb="xs">{t('cases.panel.knownHint')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
            <TextInput size="xs" label={t('cases.person.givenNames')} value={typed.givenNames} onChange={(e) => setTyped({ ...typed, givenNames: e.currentTarget.value })} data-testid="suggest-given" />
            <TextInput size="xs" label={t('cases.person.familyNames')} value={typed.familyNames} onChange={(e) => setTyped({ ...typed, familyNames: e.currentTarget.value })} data-testid="suggest-family" />
            <TextInput size="xs" label={t('cases.person.phone')} value={typed.phone} onChange={(e) => setTyped({ ...typed, phone: e.currentTarget.value })} />
            <TextInput size="xs" type="email" label={t('cases.person.email')} value={typed.email} onChange={(e) => setTyped({ ...typed, email: e.currentTarget.value })} />
            <TextInput size="xs" type="date" label={t('cases.person.dateOfBirth')} value={typed.dateOfBirth} onChange={(e) => setTyped({ ...typed, dateOfBirth: e.currentTarget.value })} />
          </SimpleGrid>
          <ErrorAlert error={suggestions.error} title={t('cases.panel.suggestFailed')} />
          <Stack gap="xs" mt="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-live="polite" data-testid="suggestions">
            {suggestions.data?.items.map((s) => (
              <Group key={`${s.type}:${s.id}`} component="li" justify="space-between" wrap="wrap" gap="xs">
                <div>
                  <Text size="sm" fw={600}>{s.type === 'person' ? s.label : s.reference}</Text>
                  <Text size="xs">{s.reasons.map(reasonText).join(' · ')}</Text>
                </div>
                <Group gap={6}>{s.cases.map((k) => <span key={k.id}>{linkButton(k.id, k.reference)}</span>)}</Group>
              </Group>
            ))}
          </Stack>
          {suggestions.data && suggestions.data.items.length === 0 ? <Text size="sm" c="dimmed" mt="xs">{t('cases.panel.noSuggestions')}</Text> : null}
        </section>

        {canLink ? (
          <section aria-labelledby="find-case-title">
            <Title order={3} size="h5" id="find-case-title">{t('cases.panel.findTitle')}</Title>
            <TextInput size="xs" label={t('cases.panel.findLabel')} description={t('cases.panel.findHint')} value={find} onChange={(e) => setFind(e.currentTarget.value)} data-testid="find-case" />
            <Stack gap="xs" mt="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="find-case-results">
              {findSettled.trim().length >= 2
                ? found.data?.items.filter((h) => h.caseId).map((h) => (
                    <Group key={`${h.type}:${h.id}`} component="li" justify="space-between" wrap="wrap" gap="xs">
                      <div>
                        <Text size="sm" fw={600}>{h.reference} · {h.label}</Text>
                        <Text size="xs">{h.reasons.map(reasonText).join(' · ')}</Text>
                      </div>
                      {linkButton(h.caseId!, h.reference)}
                    </Group>
                  ))
                : null}
            </Stack>
            {findSettled.trim().length >= 2 && found.data?.items.length === 0 ? <Alert color="gray" variant="light" mt="xs">{t('search.nothing')}</Alert> : null}
          </section>
        ) : null}
      </Stack>
      <StartCaseModal opened={startOpen} onClose={() => setStartOpen(false)} contactId={contactId} onStarted={(id) => navigate(`/cases/${id}`)} />
    </Paper>
  );
}

function StartCaseModal({ opened, onClose, contactId, onStarted }: { opened: boolean; onClose: () => void; contactId: string; onStarted: (id: string) => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [restricted, setRestricted] = useState(false);
  const start = useMutation({
    mutationFn: () => api.post<{ case: CaseRecord }>('/api/cases', { title: title.trim(), traffickingTypes: types, sensitivity: restricted ? 'restricted' : 'normal', fromContactId: contactId }),
    onSuccess: ({ case: created }) => {
      onClose();
      onStarted(created.id);
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('cases.panel.start')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (title.trim()) start.mutate();
        }}
      >
        <Stack gap="sm">
          <ErrorAlert error={start.error} title={t('cases.panel.startFailed')} />
          <TextInput label={t('cases.field.title')} description={t('cases.panel.titleHint')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={300} data-autofocus />
          <Checkbox.Group label={t('cases.field.traffickingTypes')} value={types} onChange={setTypes}>
            <Group gap="md" mt={4}>
              {TRAFFICKING_TYPES.map((k) => <Checkbox key={k} value={k} label={t(`cases.traffickingType.${k}`)} />)}
            </Group>
          </Checkbox.Group>
          <Checkbox label={t('cases.field.restricted')} description={t('cases.restrictedHint')} checked={restricted} onChange={(e) => setRestricted(e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={start.isPending} disabled={!title.trim()}>{t('cases.panel.startButton')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
