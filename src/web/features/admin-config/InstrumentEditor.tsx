import { ActionIcon, Badge, Button, Grid, Group, NumberInput, Paper, Stack, Tabs, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstrumentInput } from '../../../shared/assessment/instrument.schema.js';
import { issuesAt, errorAt } from './adminConfigApi.js';
import type { EditorProps } from './ConfigWorkspace.js';
import { JsonField, LocalizedInput } from './fields.js';
import { InstrumentPreview } from './InstrumentPreview.js';
import { ItemForm, newItem, type ItemDraft } from './ItemForm.js';

export type InstrumentDraft = InstrumentInput;

/** The instrument as a form: its items (add, edit, reorder, remove), its rules (validated JSON), its details, a preview. */
export function InstrumentEditor({ data, setData, readOnly, issues, setJsonInvalid, version }: EditorProps<InstrumentDraft>) {
  const { t, i18n } = useTranslation();
  const [selected, setSelected] = useState(0);
  const lang = (i18n.resolvedLanguage ?? 'en') as 'en' | 'es' | 'fr';
  const items = data.items as ItemDraft[];
  const index = Math.min(selected, items.length - 1);

  const setItems = (next: ItemDraft[]) => setData({ ...data, items: next });
  const move = (from: number, to: number) => {
    if (to < 0 || to >= items.length) return;
    const next = [...items];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    setItems(next);
    setSelected(to);
  };
  const add = () => {
    setItems([...items, newItem(items.map((item) => item.id))]);
    setSelected(items.length);
  };
  const remove = (at: number) => {
    setItems(items.filter((_, i) => i !== at));
    setSelected(Math.max(0, at - 1));
  };

  return (
    <Tabs defaultValue="items" keepMounted={false}>
      <Tabs.List aria-label={t('adminConfig.instrumentParts')}>
        <Tabs.Tab value="items">{t('adminConfig.tabItems', { count: items.length })}</Tabs.Tab>
        <Tabs.Tab value="rules">{t('adminConfig.tabRules', { count: data.rules.length })}</Tabs.Tab>
        <Tabs.Tab value="details">{t('adminConfig.tabDetails')}</Tabs.Tab>
        <Tabs.Tab value="preview">{t('adminConfig.tabPreview')}</Tabs.Tab>
      </Tabs.List>

      <Tabs.Panel value="items" pt="md">
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="items-title">
              <Group justify="space-between" mb="xs">
                <Title order={3} size="h5" id="items-title">{t('adminConfig.items')}</Title>
                {!readOnly ? <Button size="compact-sm" onClick={add}>{t('adminConfig.addItem')}</Button> : null}
              </Group>
              <ol className="plain-list" style={{ maxHeight: 640, overflowY: 'auto', margin: 0, padding: 0 }}>
                {items.map((item, i) => {
                  const count = issuesAt(issues, `items[${i}]`).length;
                  return (
                    <li key={`${i}:${item.id}`}>
                      <Group gap={4} wrap="nowrap" p={4} style={{ borderRadius: 6, background: i === index ? 'var(--mantine-color-blue-light)' : undefined }}>
                        <UnstyledButton onClick={() => setSelected(i)} style={{ flex: 1, minWidth: 0 }} aria-current={i === index ? 'true' : undefined} data-item-id={item.id}>
                          <Text size="sm" fw={600} ff="monospace" truncate>{item.id || t('adminConfig.unnamed')}</Text>
                          <Text size="xs" c="dark.6" truncate lang={lang}>{item.text?.[lang] ?? ''}</Text>
                        </UnstyledButton>
                        {count ? <Badge color="red" variant="light" c="red.9" aria-label={t('adminConfig.itemProblems', { count })}>{count}</Badge> : null}
                        {!readOnly ? (
                          <>
                            <ActionIcon variant="subtle" color="dark" onClick={() => move(i, i - 1)} disabled={i === 0} aria-label={t('adminConfig.moveUp', { id: item.id })}>↑</ActionIcon>
                            <ActionIcon variant="subtle" color="dark" onClick={() => move(i, i + 1)} disabled={i === items.length - 1} aria-label={t('adminConfig.moveDown', { id: item.id })}>↓</ActionIcon>
                          </>
                        ) : null}
                      </Group>
                    </li>
                  );
                })}
              </ol>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {items[index] ? (
              <ItemForm
                key={index}
                item={items[index]}
                index={index}
                itemIds={items.map((item) => item.id)}
                readOnly={readOnly}
                issues={issues}
                setJsonInvalid={setJsonInvalid}
                onChange={(next) => setItems(items.map((item, i) => (i === index ? next : item)))}
                onRemove={() => remove(index)}
              />
            ) : (
              <Text>{t('adminConfig.noItems')}</Text>
            )}
          </Grid.Col>
        </Grid>
      </Tabs.Panel>

      <Tabs.Panel value="rules" pt="md">
        <Stack gap="xs">
          <Text size="sm">{t('adminConfig.rulesHint')}</Text>
          <JsonField
            label={t('adminConfig.rulesJson')}
            value={data.rules}
            onChange={(rules) => setData({ ...data, rules: rules as InstrumentDraft['rules'] })}
            onValidity={(ok) => setJsonInvalid('rules', !ok)}
            path="rules"
            issues={issues}
            readOnly={readOnly}
            minRows={20}
          />
        </Stack>
      </Tabs.Panel>

      <Tabs.Panel value="details" pt="md">
        <Stack gap="sm" maw={900}>
          <TextInput label={t('adminConfig.instrumentId')} value={data.id} readOnly={readOnly} onChange={(e) => setData({ ...data, id: e.currentTarget.value })} error={errorAt(issues, 'id')} description={t('adminConfig.instrumentIdHint')} />
          <Text size="sm">{t('adminConfig.versionIsSet', { version })}</Text>
          <LocalizedInput label={t('adminConfig.instrumentTitle')} value={data.title} onChange={(title) => setData({ ...data, title })} path="title" issues={issues} readOnly={readOnly} idPrefix="instrument-title" />
          <NumberInput label={t('adminConfig.minorAgeBelow')} value={data.minorAgeBelow ?? 18} min={1} max={30} readOnly={readOnly} onChange={(value) => setData({ ...data, minorAgeBelow: typeof value === 'number' ? value : 18 })} error={errorAt(issues, 'minorAgeBelow')} />
          <JsonField label={t('adminConfig.sources')} description={t('adminConfig.sourcesHint')} value={data.sources ?? []} onChange={(sources) => setData({ ...data, sources: sources as string[] })} onValidity={(ok) => setJsonInvalid('sources', !ok)} path="sources" issues={issues} readOnly={readOnly} />
        </Stack>
      </Tabs.Panel>

      <Tabs.Panel value="preview" pt="md">
        <InstrumentPreview data={data} version={version} />
      </Tabs.Panel>
    </Tabs>
  );
}
