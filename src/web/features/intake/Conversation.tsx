import { Alert, Anchor, Box, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatFileSize } from '../../i18n/format.js';
import { contactKey, isMissingRoute, type Contact } from './intakeApi.js';
import { formatMessageTime } from './time.js';

/** The messages of the thread, oldest first; a log region, so new ones are read out politely. */
export function Conversation({ contact }: { contact: Contact }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? 'en';
  const box = useRef<HTMLDivElement>(null);
  const count = contact.messages.length;
  // Show the newest message: scroll the conversation box itself, never the page under the advocate's cursor.
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [count]);

  if (count === 0) {
    return (
      <Text c="dimmed" size="sm">
        {contact.channel === 'phone' ? t('contact.phoneNoMessages') : t('contact.noMessages')}
      </Text>
    );
  }
  return (
    <Box ref={box} className="conversation" role="log" aria-label={t('contact.conversation')} tabIndex={0}>
      <ol className="plain-list">
        {contact.messages.map((message) => {
          const inbound = message.direction === 'inbound';
          const who = inbound ? t('contact.fromThem') : t('contact.fromHotline');
          return (
            <li key={message.id} className={`message message-${message.direction}`} data-testid="message">
              <Paper p="sm" radius="md" className="message-bubble">
                <Group justify="space-between" gap="sm" mb={4} wrap="nowrap">
                  <Text size="xs" fw={700}>
                    {who}
                  </Text>
                  <Text size="xs" component="time" dateTime={message.createdAt}>
                    {formatMessageTime(message.createdAt, locale)}
                  </Text>
                </Group>
                <Text size="sm" className="message-body">
                  {message.body ?? t('contact.emptyMessage')}
                </Text>
                {message.attachments?.length ? (
                  <Box component="ul" className="plain-list" mt={6} aria-label={t('contact.files', { count: message.attachments.length })}>
                    {message.attachments.map((file) => (
                      <li key={file.id}>
                        <Anchor href={file.url} download={file.filename} size="sm" fw={600}>
                          {file.filename}
                        </Anchor>{' '}
                        <Text span size="xs">
                          ({t('contact.fileMeta', { type: file.contentType, size: formatFileSize(file.size, locale) })})
                        </Text>
                      </li>
                    ))}
                  </Box>
                ) : null}
                {message.pendingFiles ? (
                  <Text size="xs" mt={4}>
                    {t('contact.filesPending', { count: message.pendingFiles })}
                  </Text>
                ) : null}
                {message.failedFiles?.length ? (
                  <Text size="xs" mt={4} c="red.9" role="note">
                    {t('contact.filesFailed', { count: message.failedFiles.length, reason: message.failedFiles.map((f) => f.reason).join(', ') })}
                  </Text>
                ) : null}
                {!inbound && message.status ? (
                  <Text size="xs" mt={4}>
                    {t(`messageStatus.${message.status}`, { defaultValue: message.status })}
                  </Text>
                ) : null}
              </Paper>
            </li>
          );
        })}
      </ol>
    </Box>
  );
}

const REPLY_PATH: Record<string, string | undefined> = { sms: 'sms-reply', whatsapp: 'sms-reply', email: 'email-reply' };
const LIMIT: Record<string, number> = { sms: 1600, whatsapp: 1600, email: 1600, chat: 4000 };

function clientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reply by SMS, WhatsApp, email or chat. Endpoints still being built answer 404: say so plainly. */
export function ReplyBox({ contact, canReply }: { contact: Contact; canReply: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [touched, setTouched] = useState(false);
  const isChat = contact.channel === 'chat';
  const path = REPLY_PATH[contact.channel];
  const limit = LIMIT[contact.channel] ?? 1600;

  const send = useMutation({
    mutationFn: (text: string) =>
      isChat
        ? api.post(`/api/chat/contacts/${encodeURIComponent(contact.id)}/messages`, { clientId: clientId(), body: text })
        : api.post(`/api/contacts/${encodeURIComponent(contact.id)}/${path}`, { body: text }),
    onSuccess: async () => {
      setBody('');
      setTouched(false);
      await queryClient.invalidateQueries({ queryKey: contactKey(contact.id) });
    },
  });

  if (!path && !isChat) return null;
  if (!canReply) {
    return (
      <Text size="sm" c="dimmed">
        {t('contact.replyTakeFirst')}
      </Text>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!body.trim() || body.length > limit) return;
    send.mutate(body.trim());
  };
  const error = touched && !body.trim() ? t('contact.replyEmpty') : body.length > limit ? t('contact.replyTooLong', { count: limit }) : undefined;

  return (
    <form onSubmit={onSubmit} noValidate aria-label={t('contact.replyForm')}>
      <Stack gap="xs">
        {isMissingRoute(send.error) ? (
          <Alert color="blue" variant="light" title={t('notAvailable.title')}>
            {t('contact.replyNotAvailable', { channel: t(`channel.${contact.channel}`) })}
          </Alert>
        ) : isApiError(send.error, 'conflict') && !isChat ? (
          <Alert color="orange" variant="light" title={t('contact.replyFailed')} role="alert">
            {t('contact.replyNotSetUp')}
          </Alert>
        ) : (
          <ErrorAlert error={send.error} title={t('contact.replyFailed')} />
        )}
        <Textarea
          label={t('contact.replyLabel', { channel: t(`channel.${contact.channel}`) })}
          description={t('contact.replyHint')}
          autosize
          minRows={2}
          maxRows={8}
          value={body}
          error={error}
          onChange={(e) => setBody(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onSubmit(e);
          }}
        />
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {t('contact.replyCount', { count: body.length, limit })}
          </Text>
          <Button type="submit" loading={send.isPending}>
            {t('contact.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
