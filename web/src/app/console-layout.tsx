import { Anchor, Box, Button, Center, Container, Group, Loader, NativeSelect, Text } from '@mantine/core';
import { Suspense } from 'react';
import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useBrandSession, useBrandSignOut, useSwitchBrand } from '../shared/brand-session';
import { ROLE_LABEL, can, type Action } from '../shared/permissions';
import { ProblemAlert } from '../shared/ui/problem-alert';

function Pending() {
  return (
    <Center py="xl" role="status">
      <Loader size="sm" aria-label="Loading page" />
    </Center>
  );
}

function ConsoleBrand() {
  return (
    <Anchor component={Link} to="/console" fw={800} size="xl" underline="never" c="indigo.9">
      Sway{' '}
      <Text span size="sm" fw={600} c="gray.8">
        console
      </Text>
    </Anchor>
  );
}

function Header({ children }: { children?: React.ReactNode }) {
  return (
    <Box component="header" py="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
      <Container size="lg">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <ConsoleBrand />
          {children}
        </Group>
      </Container>
    </Box>
  );
}

/** Console sign-up and sign-in. */
export function ConsolePublicLayout() {
  return (
    <>
      <Header>
        <Group gap="sm" component="nav" aria-label="Console">
          <Anchor component={Link} to="/console/login">
            Sign in
          </Anchor>
          <Anchor component={Link} to="/console/signup">
            Create a brand
          </Anchor>
        </Group>
      </Header>
      <Container size="sm" component="main" py="md">
        <Suspense fallback={<Pending />}>
          <Outlet />
        </Suspense>
      </Container>
    </>
  );
}

const NAV: { to: string; label: string; needs: Action; end?: boolean }[] = [
  { to: '/console', label: 'Campaigns', needs: 'campaigns.read', end: true },
  { to: '/console/team', label: 'Team', needs: 'team.read' },
  { to: '/console/keys', label: 'API keys', needs: 'keys.manage' },
  { to: '/console/webhooks', label: 'Webhooks', needs: 'webhooks.manage' },
  { to: '/console/audit-log', label: 'Audit log', needs: 'audit.read' },
];

/** Every console page needs a brand user's session; without one the person signs in and comes back. */
export function ConsoleLayout() {
  const session = useBrandSession();
  const signOut = useBrandSignOut();
  const switchBrand = useSwitchBrand();
  const location = useLocation();
  const navigate = useNavigate();
  if (session.isPending) return <Pending />;
  // Only a first check that failed: a failed background refetch must not unmount the page being read.
  if (session.isError && session.data === undefined)
    return (
      <Container size="sm" py="xl">
        <ProblemAlert error={session.error} title="Could not check your session" />
      </Container>
    );
  if (!session.data) return <Navigate to={`/console/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  const { brand, brands = [], user } = session.data;
  const role = brand?.role;
  return (
    <>
      <Header>
        <Group component="nav" aria-label="Console" gap={4} wrap="wrap">
          {NAV.filter((n) => can(role, n.needs)).map((n) => (
            <Button key={n.to} component={NavLink} to={n.to} end={n.end} variant="subtle" size="compact-md">
              {n.label}
            </Button>
          ))}
          <Button variant="outline" size="compact-md" loading={signOut.isPending} onClick={() => signOut.mutate()}>
            Sign out
          </Button>
        </Group>
      </Header>
      <Container size="lg" component="main" py="md">
        <Group justify="space-between" wrap="wrap" gap="xs" mb="sm">
          <Text size="sm" c="gray.8">
            {user?.email} · <strong>{brand?.name}</strong> · {role ? ROLE_LABEL[role] : ''}
          </Text>
          {brands.length > 1 && (
            <NativeSelect
              label="Workspace"
              size="xs"
              value={brand?.id}
              disabled={switchBrand.isPending}
              data={brands.map((b) => ({ value: b.id, label: `${b.name} (${ROLE_LABEL[b.role]})` }))}
              onChange={(e) =>
                switchBrand.mutate(e.currentTarget.value, { onSuccess: () => void navigate('/console') })
              }
            />
          )}
        </Group>
        <ProblemAlert error={signOut.error ?? switchBrand.error} title="That did not work" />
        <Suspense fallback={<Pending />}>
          <Outlet key={brand?.id} />
        </Suspense>
      </Container>
    </>
  );
}
