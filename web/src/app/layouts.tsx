import { Anchor, AppShell, Button, Center, Container, Group, Loader, Text } from '@mantine/core';
import { Suspense } from 'react';
import { Link, NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { useSession, useSignOut } from '../shared/session';
import { ProblemAlert } from '../shared/ui/problem-alert';

function Pending() {
  return (
    <Center py="xl" role="status">
      <Loader size="sm" aria-label="Loading page" />
    </Center>
  );
}

function Brand() {
  return (
    <Anchor component={Link} to="/me" fw={800} size="xl" underline="never" c="indigo.9">
      Sway
    </Anchor>
  );
}

/** Join and sign-in: no navigation, just the page. */
export function PublicLayout() {
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Container size="md" h="100%">
          <Group h="100%" justify="space-between">
            <Brand />
            <Group gap="sm">
              <Anchor component={Link} to="/login">
                Sign in
              </Anchor>
              <Anchor component={Link} to="/join">
                Join
              </Anchor>
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="sm">
          <Suspense fallback={<Pending />}>
            <Outlet />
          </Suspense>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}

const NAV = [
  { to: '/me/score', label: 'Score' },
  { to: '/me/offers', label: 'Offers' },
  { to: '/me/perks', label: 'My perks' },
  { to: '/me/notifications', label: 'Notifications' },
  { to: '/me/privacy', label: 'Privacy' },
];

/** Every /me page needs a browser session; without one the person is sent to sign in and brought back. */
export function MemberLayout() {
  const session = useSession();
  const signOut = useSignOut();
  const location = useLocation();
  if (session.isPending) return <Pending />;
  // Only a first check that failed: a failed background refetch must not unmount the page being read.
  if (session.isError && session.data === undefined)
    return (
      <Container size="sm" py="xl">
        <ProblemAlert error={session.error} title="Could not check your session" />
      </Container>
    );
  if (!session.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return (
    <AppShell header={{ height: { base: 104, sm: 60 } }} padding="md">
      <AppShell.Header>
        <Container size="lg" h="100%" py={6}>
          <Group justify="space-between" wrap="wrap" gap="xs" h="100%">
            <Brand />
            <Group component="nav" aria-label="Member" gap={4} wrap="wrap">
              {NAV.map((n) => (
                <Button key={n.to} component={NavLink} to={n.to} variant="subtle" size="compact-md">
                  {n.label}
                </Button>
              ))}
              <Button variant="outline" size="compact-md" loading={signOut.isPending} onClick={() => signOut.mutate()}>
                Sign out
              </Button>
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="lg">
          <Text size="sm" c="gray.7" mb="xs">
            Signed in as {session.data.member?.displayName}
          </Text>
          <ProblemAlert error={signOut.error} title="Could not sign out" />
          <Suspense fallback={<Pending />}>
            <Outlet />
          </Suspense>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
