import { Anchor, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SlaState } from '../../../shared/sla.js';
import { FlagBadges, SlaBadge } from './Badges.js';
import { ChannelLabel } from './ChannelLabel.js';
import type { QueueItem } from './intakeApi.js';
import { describeWait, formatWait } from './time.js';

export function isOverdue(item: QueueItem, serverNow: number): boolean {
  return item.slaState === 'red' || (item.slaDueAt !== null && serverNow >= new Date(item.slaDueAt).getTime());
}

/** The server's state, turned red by the ticking clock as soon as the target passes (no wait for a refetch). */
export function liveSlaState(item: QueueItem, serverNow: number): SlaState {
  return isOverdue(item, serverNow) ? 'red' : item.slaState;
}

export function waitedSeconds(item: QueueItem, serverNow: number): number {
  if (item.status !== 'waiting') return item.waitSeconds;
  return (serverNow - new Date(item.receivedAt).getTime()) / 1000;
}

interface QueueTableProps {
  items: QueueItem[];
  now: number;
  clockOffsetMs: number;
  currentUserId: string;
  canClaim: boolean;
  takingId: string | null;
  onTake: (item: QueueItem) => void;
}

export function QueueTable({ items, now, clockOffsetMs, currentUserId, canClaim, takingId, onTake }: QueueTableProps) {
  const { t } = useTranslation();
  const serverNow = now + clockOffsetMs;
  const waitingCount = items.filter((i) => i.status === 'waiting').length;

  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="sm" highlightOnHover captionSide="top" className="queue-table" data-testid="queue-table">
        <Table.Caption className="visually-hidden">{t('queue.caption', { waiting: waitingCount, total: items.length })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('queue.col.reference')}</Table.Th>
            <Table.Th scope="col">{t('queue.col.channel')}</Table.Th>
            <Table.Th scope="col">{t('queue.col.wait')}</Table.Th>
            <Table.Th scope="col">{t('queue.col.target')}</Table.Th>
            <Table.Th scope="col">{t('queue.col.flags')}</Table.Th>
            <Table.Th scope="col">{t('queue.col.language')}</Table.Th>
            <Table.Th scope="col">{t('queue.col.requestType')}</Table.Th>
            <Table.Th scope="col">{t('queue.col.status')}</Table.Th>
            <Table.Th scope="col">
              <span className="visually-hidden">{t('queue.col.actions')}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => {
            const reference = `C-${item.number}`;
            const waiting = item.status === 'waiting';
            const state = waiting ? liveSlaState(item, serverNow) : null;
            const waited = waitedSeconds(item, serverNow);
            const mine = item.assignedTo?.id === currentUserId;
            const urgent = !!(item.flags?.imminent_danger || item.flags?.suicide_risk || item.flags?.medical_emergency);
            return (
              <Table.Tr key={item.id} data-contact-id={item.id} data-status={item.status} className={urgent ? 'queue-row-urgent' : state === 'red' ? 'queue-row-overdue' : undefined}>
                <Table.Th scope="row">
                  <Anchor component={Link} to={`/contacts/${item.id}`} fw={600}>
                    {reference}
                  </Anchor>
                  {item.team === 'supervisors' ? (
                    <Text size="xs" c="dimmed">
                      {t('queue.forSupervisors')}
                    </Text>
                  ) : item.team ? (
                    <Text size="xs" c="dimmed" data-testid="queue-team">
                      {t('queue.forTeam', { team: item.team })}
                    </Text>
                  ) : null}
                  <TransferMark item={item} currentUserId={currentUserId} />
                </Table.Th>
                <Table.Td>
                  <ChannelLabel channel={item.channel} />
                </Table.Td>
                <Table.Td>
                  <Text span ff="monospace" fw={600} aria-hidden data-testid="wait">
                    {formatWait(waited, t)}
                  </Text>
                  <span className="visually-hidden">{describeWait(waited, t)}</span>
                  {!waiting ? (
                    <Text size="xs" c="dimmed">
                      {t('queue.answeredAfter')}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{state ? <SlaBadge state={state} /> : <Text size="sm" c="dimmed">—</Text>}</Table.Td>
                <Table.Td>
                  <FlagBadges flags={item.flags} />
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Text size="sm">{item.language ? t(`languageName.${item.language.slice(0, 2)}`, { defaultValue: item.language }) : t('queue.languageUnknown')}</Text>
                    {waiting && item.matchesMe ? (
                      <Badge variant="light" color="teal" size="sm" leftSection={<span aria-hidden>★</span>}>
                        {t('queue.matchesMe')}
                      </Badge>
                    ) : null}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{item.requestType ? t(`requestType.${item.requestType}`) : t('queue.notDocumented')}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {waiting
                      ? t('status.waiting')
                      : mine
                        ? t('queue.withMe', { status: t(`status.${item.status}`) })
                        : t('queue.withSomeone', { name: item.assignedTo?.name ?? t('queue.someone'), status: t(`status.${item.status}`) })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    {waiting && canClaim ? (
                      <Button size="xs" onClick={() => onTake(item)} loading={takingId === item.id} aria-label={t('queue.takeOne', { reference })}>
                        {t('queue.take')}
                      </Button>
                    ) : mine ? (
                      <Button size="xs" variant="default" component={Link} to={`/contacts/${item.id}`} aria-label={t('queue.openOne', { reference })}>
                        {t('queue.open')}
                      </Button>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** "Transferred to you by Ana · Note": who handed it over, and whether a note waits on the contact. */
function TransferMark({ item, currentUserId }: { item: QueueItem; currentUserId: string }) {
  const { t } = useTranslation();
  const transfer = item.transfer;
  if (!transfer) return null;
  const toMe = transfer.toUserId === currentUserId;
  if (!toMe && transfer.toRole !== 'supervisor') return null;
  const name = transfer.from?.name ?? t('transfer.someone');
  return (
    <Group gap={4} wrap="nowrap" data-testid="transfer-mark">
      <Text size="xs" c="grape.8">
        {toMe ? t('transfer.rowToYou', { name }) : t('transfer.rowToSupervisors', { name })}
      </Text>
      {transfer.hasNote ? (
        <Badge size="xs" variant="light" color="grape" title={t('transfer.rowHasNoteLabel', { name })} aria-label={t('transfer.rowHasNoteLabel', { name })}>
          {t('transfer.rowHasNote')}
        </Badge>
      ) : null}
    </Group>
  );
}
