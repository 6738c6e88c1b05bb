import { Anchor, Card, List, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

/** `/`: where each kind of visitor goes (members, brands, developers), until the product pages replace it. */
export function LandingPage() {
  return (
    <Stack>
      <Title order={1}>Sway: perks for the people whose posts travel</Title>
      <Text>
        Members opt in, link their public accounts and see exactly how their score comes about; brands offer perks to
        the members whose topics fit, and see what each perk brought back.
      </Text>
      <Card withBorder component="section" aria-labelledby="members">
        <Title order={2} size="h3" id="members">
          Members
        </Title>
        <List mt="xs">
          <List.Item>
            <Anchor component={Link} to="/join">
              Join Sway
            </Anchor>{' '}
            or{' '}
            <Anchor component={Link} to="/login">
              sign in to the member app
            </Anchor>
          </List.Item>
        </List>
      </Card>
      <Card withBorder component="section" aria-labelledby="brands">
        <Title order={2} size="h3" id="brands">
          Brands and developers
        </Title>
        <List mt="xs">
          <List.Item>
            <Anchor component={Link} to="/console">
              Brand console
            </Anchor>
          </List.Item>
          <List.Item>
            <Anchor href="/dashboard">Campaign dashboard</Anchor> (with a brand API key)
          </List.Item>
          <List.Item>
            <Anchor href="/docs">API documentation</Anchor>
          </List.Item>
        </List>
      </Card>
    </Stack>
  );
}
