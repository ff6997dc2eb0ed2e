import { Alert, Button, Center, Grid, Group, List, Loader, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LOCALE_NAMES, LOCALES } from '../../i18n/index.js';
import { ConfigurableFields } from '../intake/ConfigurableFields.js';
import { CONTACT_FORM_KEY, type ContactForm, type FormField } from '../intake/intakeApi.js';

const ADMIN_FORM_KEY = ['admin', 'contact-form'] as const;

/** What the editor's text means right now: JSON that parses into something field-shaped, or why not. */
function parse(text: string): { form: ContactForm | null; error: string | null } {
  try {
    const value = JSON.parse(text) as unknown;
    const fields = (value as { fields?: unknown })?.fields;
    if (!Array.isArray(fields)) return { form: null, error: 'fields' };
    return { form: { fields: fields.filter((f): f is FormField => !!f && typeof f === 'object' && typeof (f as FormField).id === 'string') }, error: null };
  } catch (error) {
    return { form: null, error: (error as Error).message };
  }
}

export function ContactFormEditorPage() {
  const { t } = useTranslation();
  const current = useQuery({
    queryKey: ADMIN_FORM_KEY,
    queryFn: ({ signal }) => api.get<{ data: ContactForm; version: number }>('/api/admin/contact-form', undefined, signal),
  });
  if (current.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (current.isError) return <ErrorAlert error={current.error} />;
  return <Editor key={current.data.version} initial={current.data.data} version={current.data.version} />;
}

function Editor({ initial, version }: { initial: ContactForm; version: number }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [previewLocale, setPreviewLocale] = useState<string>('en');
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const parsed = useMemo(() => parse(text), [text]);

  const publish = useMutation({
    mutationFn: (data: unknown) => api.put<{ version: number }>('/api/admin/contact-form', { data }),
    onSuccess: async (answer) => {
      notifications.show({ color: 'green', message: t('formEditor.published', { version: answer.version }) });
      await queryClient.invalidateQueries({ queryKey: ADMIN_FORM_KEY });
      await queryClient.invalidateQueries({ queryKey: CONTACT_FORM_KEY });
    },
  });

  const issues = isApiError(publish.error, 'validation_failed')
    ? ((publish.error.body.issues as Array<{ path: string; message: string }> | undefined) ?? [{ path: '', message: publish.error.message }])
    : [];

  const onPublish = () => {
    if (!parsed.form) return;
    publish.mutate(JSON.parse(text));
  };

  return (
    <Stack gap="md">
      <PageHeader title={t('formEditor.title')} context={t('nav.admin')} description={t('formEditor.intro', { version })} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="sm">
            <Textarea
              label={t('formEditor.json')}
              description={t('formEditor.jsonHint')}
              value={text}
              onChange={(e) => {
                setText(e.currentTarget.value);
                if (publish.isError) publish.reset();
              }}
              autosize
              minRows={18}
              maxRows={40}
              spellCheck={false}
              classNames={{ input: 'json-editor' }}
              error={parsed.error ? (parsed.error === 'fields' ? t('formEditor.needsFields') : t('formEditor.badJson', { message: parsed.error })) : undefined}
              aria-describedby={issues.length ? 'form-editor-issues' : undefined}
            />
            {issues.length ? (
              <Alert color="red" variant="light" title={t('formEditor.refused')} role="alert" id="form-editor-issues">
                <List size="sm" spacing={4}>
                  {issues.map((issue, i) => (
                    <List.Item key={i}>
                      {issue.path ? (
                        <Text span ff="monospace" fw={600}>
                          {issue.path.replace(/^\/+/, '').replace(/^body\//, '').replace(/\//g, '.') || 'data'}
                        </Text>
                      ) : null}
                      {issue.path ? ': ' : ''}
                      {issue.message}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            ) : (
              <ErrorAlert error={publish.isError ? publish.error : null} title={t('formEditor.refused')} />
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setText(JSON.stringify(initial, null, 2))}>
                {t('formEditor.reset')}
              </Button>
              <Button onClick={onPublish} loading={publish.isPending} disabled={!parsed.form}>
                {t('formEditor.publish')}
              </Button>
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="form-preview-title">
            <Group justify="space-between" mb="sm" wrap="wrap">
              <Title order={2} size="h4" id="form-preview-title">
                {t('formEditor.preview')}
              </Title>
              <SegmentedControl
                size="xs"
                value={previewLocale}
                onChange={setPreviewLocale}
                aria-label={t('formEditor.previewLanguage')}
                data={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
              />
            </Group>
            <Text size="sm" c="dimmed" mb="sm">
              {t('formEditor.previewHint')}
            </Text>
            <div lang={previewLocale} data-testid="form-preview">
              {parsed.form ? (
                <ConfigurableFields fields={parsed.form.fields} values={answers} onChange={(id, v) => setAnswers((a) => ({ ...a, [id]: v }))} locale={previewLocale} idPrefix="preview" />
              ) : (
                <Text>{t('formEditor.noPreview')}</Text>
              )}
            </div>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
