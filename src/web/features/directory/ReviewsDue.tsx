import { Alert, Anchor, Badge, List, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api.js';

interface ReviewDue { id: string; name: string; vettingStatus: string; reviewDueOn: string; overdue: boolean }

/** Annual re-verification: partners whose review is overdue or due within 30 days, soonest first. Nothing when none. */
export function ReviewsDue() {
  const { t } = useTranslation();
  const due = useQuery({ queryKey: ['directory', 'reviews-due'], queryFn: ({ signal }) => api.get<{ items: ReviewDue[] }>('/api/directory/reviews-due', undefined, signal).then((r) => r.items) });
  if (!due.data?.length) return null;
  const overdue = due.data.filter((d) => d.overdue).length;
  return (
    <Alert color={overdue ? 'orange' : 'blue'} variant="light" title={t('directory.reviews.title', { count: due.data.length })} data-testid="reviews-due">
      <Text size="sm" mb="xs">{t('directory.reviews.intro')}</Text>
      <List size="sm" spacing={2}>
        {due.data.slice(0, 8).map((d) => (
          <List.Item key={d.id}>
            <Anchor component={Link} to={`/directory/partners/${d.id}`} c="blue.9" underline="always">{d.name}</Anchor> — {t('directory.reviewDue', { date: d.reviewDueOn })}
            {d.overdue ? <Badge ml="xs" color="red" variant="light" tt="none">{t('directory.reviewOverdue')}</Badge> : null}
          </List.Item>
        ))}
      </List>
      {due.data.length > 8 ? <Text size="sm" mt="xs">{t('directory.reviews.more', { count: due.data.length - 8 })}</Text> : null}
    </Alert>
  );
}
