import { ActionIcon, Button, Checkbox, Code, CopyButton, Fieldset, Group, Modal, NativeSelect, NumberInput, SimpleGrid, Stack, Switch, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PasswordField } from '../../components/PasswordField.js';
import { LOCALE_NAMES, LOCALES } from '../../i18n/index.js';
import { CHANNELS } from '../intake/vocabulary.js';

type Localized = Partial<Record<'en' | 'es' | 'fr', string>>;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];

export interface AccessPointSettings {
  greetings?: Localized;
  hours?: Array<{ day: Weekday; open: string; close: string }>;
  afterHoursMessage?: Localized;
  languages?: Array<'en' | 'es' | 'fr'>;
  twilioAccountSid?: string;
  allowedOrigins?: string[];
  onlyWhenStaffed?: boolean;
  smtpHost?: string;
  smtpPort?: number;
  smtpUser?: string;
}

export interface AccessPoint {
  id: string;
  channel: string;
  name: string;
  address: string;
  team: string | null;
  isActive: boolean;
  settings: AccessPointSettings;
  secretHint: string | null;
  version: number;
  updatedAt: string;
}

const TWILIO_CHANNELS = ['phone', 'sms', 'whatsapp'];

export function AccessPointModal({ value, onClose }: { value: AccessPoint | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const title = value === 'new' ? t('channels.addTitle') : value ? t('channels.editTitle', { name: value.name }) : '';
  return (
    <Modal opened={value !== null} onClose={onClose} title={title} size="xl">
      {value ? <AccessPointForm key={value === 'new' ? 'new' : value.id} point={value === 'new' ? null : value} onClose={onClose} /> : null}
    </Modal>
  );
}

/** Drop empty strings: the server wants absent keys rather than blanks. */
function compactLocalized(text: Localized): Localized | undefined {
  const out: Localized = {};
  for (const locale of LOCALES) if (text[locale]?.trim()) out[locale] = text[locale]!.trim();
  return Object.keys(out).length ? out : undefined;
}

function AccessPointForm({ point, onClose }: { point: AccessPoint | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const s = point?.settings ?? {};
  const [channel, setChannel] = useState(point?.channel ?? 'sms');
  const [name, setName] = useState(point?.name ?? '');
  const [address, setAddress] = useState(point?.address ?? '');
  const [team, setTeam] = useState(point?.team ?? '');
  const [isActive, setActive] = useState(point?.isActive ?? true);
  const [languages, setLanguages] = useState<string[]>(s.languages ?? ['en']);
  const [greetings, setGreetings] = useState<Localized>(s.greetings ?? {});
  const [afterHours, setAfterHours] = useState<Localized>(s.afterHoursMessage ?? {});
  const [hours, setHours] = useState(s.hours ?? []);
  const [sid, setSid] = useState(s.twilioAccountSid ?? '');
  const [origins, setOrigins] = useState((s.allowedOrigins ?? []).join('\n'));
  const [onlyWhenStaffed, setOnlyWhenStaffed] = useState(s.onlyWhenStaffed ?? false);
  const [smtpHost, setSmtpHost] = useState(s.smtpHost ?? '');
  const [smtpPort, setSmtpPort] = useState<number | ''>(s.smtpPort ?? '');
  const [smtpUser, setSmtpUser] = useState(s.smtpUser ?? '');
  const [secret, setSecret] = useState('');
  const [touched, setTouched] = useState(false);

  const usesTwilio = TWILIO_CHANNELS.includes(channel);
  // Text and email lines answer a new conversation automatically with these messages (opt-in): the form says so.
  const autoAnswerHint = channel === 'sms' || channel === 'whatsapp' ? 'Text' : channel === 'email' ? 'Email' : null;
  const errors = {
    name: !name.trim() ? t('channels.nameRequired') : undefined,
    address: !point && !address.trim() ? t('channels.addressRequired') : undefined,
    sid: sid && !/^AC[0-9a-fA-F]{32}$/.test(sid) ? t('channels.sidInvalid') : undefined,
    languages: languages.length === 0 ? t('channels.languagesRequired') : undefined,
  };

  const save = useMutation({
    mutationFn: () => {
      const settings: AccessPointSettings = {
        greetings: compactLocalized(greetings),
        afterHoursMessage: compactLocalized(afterHours),
        hours: hours.length ? hours : undefined,
        languages: languages as AccessPointSettings['languages'],
        ...(usesTwilio && sid && { twilioAccountSid: sid }),
        ...(channel === 'chat' && { allowedOrigins: origins.split(/\s+/).map((o) => o.trim()).filter(Boolean), onlyWhenStaffed: onlyWhenStaffed || undefined }),
        ...(channel === 'email' && { smtpHost: smtpHost || undefined, smtpPort: smtpPort === '' ? undefined : smtpPort, smtpUser: smtpUser || undefined }),
      };
      const common = { name: name.trim(), team: team.trim() || null, settings, ...(secret && { secret }) };
      return point
        ? api.patch(`/api/admin/access-points/${encodeURIComponent(point.id)}`, { ...common, isActive, version: point.version })
        : api.post('/api/admin/access-points', { ...common, channel, address: address.trim() });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'access-points'] });
      notifications.show({ color: 'green', message: t('channels.saved', { name: name.trim() }) });
      onClose();
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.values(errors).some(Boolean)) return;
    save.mutate();
  };

  const secretLabel = usesTwilio ? t('channels.twilioToken') : channel === 'email' ? t('channels.smtpPassword') : t('channels.secretGeneric');

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <ErrorAlert error={save.error} title={t('channels.saveFailed')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('channels.channel')}
            value={channel}
            onChange={(e) => setChannel(e.currentTarget.value)}
            disabled={!!point}
            description={point ? t('channels.channelFixed') : undefined}
            data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
          />
          <TextInput label={t('channels.name')} required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={touched ? errors.name : undefined} />
          <TextInput
            label={t('channels.address')}
            required={!point}
            description={point ? t('channels.addressFixed') : t(`channels.addressHint.${channel}`, { defaultValue: '' })}
            value={address}
            disabled={!!point}
            onChange={(e) => setAddress(e.currentTarget.value)}
            error={touched ? errors.address : undefined}
          />
          <TextInput label={t('channels.team')} description={t('channels.teamHint')} value={team} onChange={(e) => setTeam(e.currentTarget.value)} />
        </SimpleGrid>
        {point ? <ConnectionHelp point={point} /> : null}
        {point ? <Switch label={t('channels.activeLabel')} checked={isActive} onChange={(e) => setActive(e.currentTarget.checked)} /> : null}

        <Fieldset legend={t('channels.credentials')}>
          <Stack gap="sm">
            {usesTwilio ? (
              <TextInput label={t('channels.twilioSid')} placeholder="AC…" value={sid} onChange={(e) => setSid(e.currentTarget.value.trim())} error={touched ? errors.sid : undefined} classNames={{ input: 'mono-input' }} />
            ) : null}
            {channel === 'email' ? (
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput label={t('channels.smtpHost')} value={smtpHost} onChange={(e) => setSmtpHost(e.currentTarget.value)} />
                <NumberInput label={t('channels.smtpPort')} min={1} max={65535} value={smtpPort} onChange={(v) => setSmtpPort(typeof v === 'number' ? v : '')} />
                <TextInput label={t('channels.smtpUser')} value={smtpUser} onChange={(e) => setSmtpUser(e.currentTarget.value)} />
              </SimpleGrid>
            ) : null}
            {channel === 'chat' ? (
              <>
                <Textarea label={t('channels.origins')} description={t('channels.originsHint')} autosize minRows={2} value={origins} onChange={(e) => setOrigins(e.currentTarget.value)} classNames={{ input: 'mono-input' }} />
                <Checkbox label={t('channels.onlyWhenStaffed')} description={t('channels.onlyWhenStaffedHint')} checked={onlyWhenStaffed} onChange={(e) => setOnlyWhenStaffed(e.currentTarget.checked)} />
              </>
            ) : null}
            {channel !== 'webform' && channel !== 'chat' ? (
              <PasswordField
                label={secretLabel}
                autoComplete="new-password"
                description={point?.secretHint ? t('channels.secretKeep', { hint: point.secretHint }) : t('channels.secretWriteOnly')}
                value={secret}
                onChange={(e) => setSecret(e.currentTarget.value)}
              />
            ) : null}
          </Stack>
        </Fieldset>

        <Checkbox.Group label={t('channels.languages')} value={languages} onChange={setLanguages} error={touched ? errors.languages : undefined}>
          <Group gap="lg" mt={4}>
            {LOCALES.map((l) => (
              <Checkbox key={l} value={l} label={LOCALE_NAMES[l]} />
            ))}
          </Group>
        </Checkbox.Group>

        {channel === 'webform' ? (
          <Text size="sm" c="dimmed">
            {t('channels.noHoursWebform')}
          </Text>
        ) : (
          <>
          <Tabs defaultValue="en" keepMounted={false}>
            <Tabs.List aria-label={t('channels.messagesByLanguage')}>
              {LOCALES.map((l) => (
                <Tabs.Tab key={l} value={l} lang={l}>
                  {LOCALE_NAMES[l]}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {LOCALES.map((l) => (
              <Tabs.Panel key={l} value={l} pt="sm" lang={l}>
                <Stack gap="sm">
                  <Textarea label={t('channels.greeting', { language: LOCALE_NAMES[l] })} description={autoAnswerHint ? t(`channels.greeting${autoAnswerHint}Hint`) : undefined} autosize minRows={2} value={greetings[l] ?? ''} onChange={(e) => setGreetings({ ...greetings, [l]: e.currentTarget.value })} />
                  <Textarea label={t('channels.afterHours', { language: LOCALE_NAMES[l] })} description={autoAnswerHint ? t('channels.afterHoursTextHint') : undefined} autosize minRows={2} value={afterHours[l] ?? ''} onChange={(e) => setAfterHours({ ...afterHours, [l]: e.currentTarget.value })} />
                </Stack>
              </Tabs.Panel>
            ))}
          </Tabs>

          <Fieldset legend={t('channels.hours')}>
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                {hours.length === 0 ? t('channels.always') : t('channels.hoursHint')}
              </Text>
              {hours.map((row, index) => (
                <Group key={index} gap="sm" align="flex-end">
                  <NativeSelect
                    label={t('channels.day')}
                    value={row.day}
                    onChange={(e) => setHours(hours.map((h, i) => (i === index ? { ...h, day: e.currentTarget.value as Weekday } : h)))}
                    data={WEEKDAYS.map((d) => ({ value: d, label: t(`weekday.${d}`) }))}
                  />
                  <TextInput type="time" label={t('channels.open')} value={row.open} onChange={(e) => setHours(hours.map((h, i) => (i === index ? { ...h, open: e.currentTarget.value } : h)))} />
                  <TextInput type="time" label={t('channels.close')} value={row.close} onChange={(e) => setHours(hours.map((h, i) => (i === index ? { ...h, close: e.currentTarget.value } : h)))} />
                  <ActionIcon variant="default" size="lg" mb={2} onClick={() => setHours(hours.filter((_, i) => i !== index))} aria-label={t('channels.removeHours', { day: t(`weekday.${row.day}`) })}>
                    <span aria-hidden>✕</span>
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button variant="default" size="xs" onClick={() => setHours([...hours, { day: 'mon', open: '09:00', close: '17:00' }])}>
                  {t('channels.addHours')}
                </Button>
              </Group>
            </Stack>
          </Fieldset>
          </>
        )}

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {point ? t('common.save') : t('channels.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What to paste where so the provider reaches this access point: webhook URLs, the chat script tag, the form link. */
function ConnectionHelp({ point }: { point: AccessPoint }) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  const items: { label: string; value: string }[] =
    point.channel === 'sms' || point.channel === 'whatsapp'
      ? [
          { label: t('channels.connect.messaging'), value: `${origin}/api/webhooks/twilio/messaging` },
          { label: t('channels.connect.messageStatus'), value: `${origin}/api/webhooks/twilio/message-status` },
        ]
      : point.channel === 'phone'
        ? [
            { label: t('channels.connect.voice'), value: `${origin}/api/webhooks/twilio/voice` },
            { label: t('channels.connect.voiceStatus'), value: `${origin}/api/webhooks/twilio/voice/status` },
          ]
        : point.channel === 'chat'
          ? [{ label: t('channels.connect.chat'), value: `<script src="${origin}/chat/widget.js" data-hotline="${point.address}" async></script>` }]
          : point.channel === 'webform'
            ? [{ label: t('channels.connect.webform'), value: `${origin}/tip/${point.address}` }]
            : [];
  if (point.channel === 'email') {
    return (
      <Fieldset legend={t('channels.connect.title')}>
        <Text size="sm">{t('channels.connect.email', { address: point.address })}</Text>
      </Fieldset>
    );
  }
  if (items.length === 0) return null;
  return (
    <Fieldset legend={t('channels.connect.title')} data-testid="connection-help">
      <Stack gap="xs">
        {items.map((item) => (
          <Stack key={item.label} gap={4}>
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" fw={500}>
                {item.label}
              </Text>
              <CopyButton value={item.value}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="default" onClick={copy} aria-label={t('channels.connect.copyOne', { what: item.label })}>
                    {copied ? t('channels.connect.copied') : t('channels.connect.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {item.value}
            </Code>
          </Stack>
        ))}
      </Stack>
    </Fieldset>
  );
}
