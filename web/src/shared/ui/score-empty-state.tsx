import { Anchor, Alert, List, Text } from '@mantine/core';
import { Link } from 'react-router';

/** A new member has no score yet: say how one comes about instead of showing a blank page. */
export function ScoreEmptyState({ compact = false }: { compact?: boolean }) {
  return (
    <Alert color="indigo" variant="light" title="No score yet — here is how you get one">
      <List size="sm" spacing={4} type="ordered">
        <List.Item>
          Link a social account in{' '}
          <Anchor component={Link} to="/me/privacy">
            Privacy
          </Anchor>
          . Sway only reads what you post publicly there and how people react to it.
        </List.Item>
        <List.Item>
          Sway scores members once a day (around 03:15 UTC). Your first score appears after that run.
        </List.Item>
        <List.Item>
          Your score then moves by at most a few points a day, and every change is listed with its reason.
        </List.Item>
      </List>
      {!compact && (
        <Text size="sm" mt="xs">
          Until then you can still get offers that do not ask for a minimum score, if you chose “Match me with perks”.
        </Text>
      )}
    </Alert>
  );
}
