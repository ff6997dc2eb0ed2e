import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// Simple line icons (24×24, stroke = currentColor): always beside the channel's name, never alone.
const PATHS: Record<string, string> = {
  phone: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
  sms: 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2zM8 9h8M8 13h5',
  whatsapp: 'M3 21l1.7-5A9 9 0 1 1 8 19.3zM9 9c0 3 3 6 6 6l1-1.5-2-1-1 1c-1-.5-2-1.5-2.5-2.5l1-1-1-2z',
  chat: 'M14 9a2 2 0 0 1-2 2H6l-3 3V4a2 2 0 0 1 2-2h7a2 2 0 0 1 2 2zM18 9h1a2 2 0 0 1 2 2v10l-3-3h-6a2 2 0 0 1-2-2v-1',
  email: 'M4 5h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zM3 6l9 7 9-7',
  webform: 'M6 2h9l5 5v15H6zM14 2v6h6M9 13h8M9 17h8',
  other: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8 12h.01M12 12h.01M16 12h.01',
};

export function ChannelIcon({ channel, size = 18 }: { channel: string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable="false">
      <path d={PATHS[channel] ?? PATHS.other} />
    </svg>
  );
}

export function ChannelLabel({ channel }: { channel: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <ChannelIcon channel={channel} />
      <Text span size="sm" fw={500}>
        {t(`channel.${channel}`, { defaultValue: channel })}
      </Text>
    </Group>
  );
}
