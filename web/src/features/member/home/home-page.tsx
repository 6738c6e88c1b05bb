import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useNotifications, usePendingOffers, useScores } from '../../../shared/queries';
import { QueryState } from '../../../shared/ui/query-state';
import { ScoreEmptyState } from '../../../shared/ui/score-empty-state';

export function HomePage() {
  const scores = useScores();
  const offers = usePendingOffers();
  const notifications = useNotifications();
  return (
    <Stack>
      <Title order={1}>Your Sway</Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Title order={2} size="h3">
            Your score
          </Title>
          <QueryState query={scores} label="your score">
            {(s) =>
              s.overall ? (
                <Stack gap={4}>
                  <Text fz={48} fw={800} lh={1}>
                    {s.overall.score}
                  </Text>
                  <Text>Higher than {Math.round(s.overall.percentile)} % of Sway members.</Text>
                  <Anchor component={Link} to="/me/score">
                    See why
                  </Anchor>
                </Stack>
              ) : (
                <ScoreEmptyState compact />
              )
            }
          </QueryState>
        </Card>
        <Card withBorder>
          <Title order={2} size="h3">
            Offers waiting for you
          </Title>
          <QueryState query={offers} label="your offers">
            {(o) => (
              <Stack gap={4}>
                <Text fz={48} fw={800} lh={1}>
                  {o.data.length}
                </Text>
                <Text>{o.data.length === 1 ? 'perk is' : 'perks are'} waiting for your answer.</Text>
                <Anchor component={Link} to="/me/offers">
                  Go to your offers
                </Anchor>
              </Stack>
            )}
          </QueryState>
        </Card>
      </SimpleGrid>
      <Group gap="md">
        <Anchor component={Link} to="/me/notifications">
          {notifications.data ? `Notifications: ${notifications.data.unread} unread` : 'Notifications'}
        </Anchor>
        <Anchor component={Link} to="/me/perks">
          My perks
        </Anchor>
        <Anchor component={Link} to="/me/privacy">
          Privacy and your data
        </Anchor>
      </Group>
    </Stack>
  );
}
