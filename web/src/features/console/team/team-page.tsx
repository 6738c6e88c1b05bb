import { ScrollTable } from '../../../shared/ui/scroll-table';
import { Alert, Anchor, Button, Card, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { rawCall } from '../../../api/client';
import { useBrandSession } from '../../../shared/brand-session';
import { ckeys } from '../../../shared/console-queries';
import { date } from '../../../shared/format';
import { assignableRoles, can, ROLE_LABEL, type BrandRole } from '../../../shared/permissions';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';

interface Member {
  userId: string;
  email: string;
  name?: string | null;
  role: BrandRole;
  joinedAt: string;
}
interface Invitation {
  id: string;
  email: string;
  role: BrandRole;
  expiresAt: string;
  acceptUrl?: string | null;
}

function InviteForm({ roles, onClose }: { roles: BrandRole[]; onClose: () => void }) {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<BrandRole>(roles.includes('analyst') ? 'analyst' : roles[0]);
  const invite = useMutation({
    mutationFn: () => rawCall<{ invitation: Invitation }>('POST', '/v1/brands/me/invitations', { email, role }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ckeys.members }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate();
  };
  const sent = invite.data?.invitation;
  return (
    <Card withBorder component="section" aria-labelledby="invite-h">
      <Title order={2} size="h3" id="invite-h">
        Invite a teammate
      </Title>
      {sent ? (
        <Stack gap="xs" mt="xs">
          <Text role="status">
            Invitation for {sent.email} as {ROLE_LABEL[sent.role]} created; it expires {date(sent.expiresAt)}.
          </Text>
          {sent.acceptUrl ? (
            <>
              <Text size="sm">No mail server is configured, so send them this link yourself (it works once):</Text>
              <TextInput
                label="Invitation link"
                readOnly
                value={sent.acceptUrl}
                onFocus={(e) => e.currentTarget.select()}
              />
            </>
          ) : (
            <Text size="sm">They received an email with a link to join.</Text>
          )}
          <Group>
            <Button variant="default" onClick={() => invite.reset()}>
              Invite someone else
            </Button>
            <Button variant="subtle" onClick={onClose}>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} aria-label="Invite">
          <Group align="flex-end" gap="sm" wrap="wrap" mt="xs">
            <TextInput
              label="Email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              miw={240}
            />
            <NativeSelect
              label="Role"
              value={role}
              onChange={(e) => setRole(e.currentTarget.value as BrandRole)}
              data={roles.map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
            />
            <Button type="submit" loading={invite.isPending}>
              Send invite
            </Button>
            <Button variant="subtle" onClick={onClose}>
              Cancel
            </Button>
          </Group>
          <ProblemAlert error={invite.error} title="Invitation not sent" />
        </form>
      )}
    </Card>
  );
}

function RoleCell({ m, roles, mine }: { m: Member; roles: BrandRole[]; mine: BrandRole | undefined }) {
  const qc = useQueryClient();
  const change = useMutation({
    mutationFn: (role: BrandRole) => rawCall('PATCH', `/v1/brands/me/members/${m.userId}`, { role }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ckeys.members }),
  });
  // Admins manage everyone but owners; only owners touch an owner's role.
  const editable = can(mine, 'team.manage') && (mine === 'owner' || m.role !== 'owner');
  if (!editable) return <>{ROLE_LABEL[m.role]}</>;
  const options = roles.includes(m.role) ? roles : [m.role, ...roles];
  return (
    <Stack gap={2}>
      <NativeSelect
        aria-label={`Access of ${m.email}`}
        size="xs"
        value={m.role}
        disabled={change.isPending}
        data={options.map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
        onChange={(e) => change.mutate(e.currentTarget.value as BrandRole)}
      />
      <ProblemAlert error={change.error} title="Role not changed" />
    </Stack>
  );
}

export function TeamPage() {
  const session = useBrandSession();
  const mine = session.data?.brand?.role;
  const [inviting, setInviting] = useState(false);
  const members = useQuery({
    queryKey: ckeys.members,
    queryFn: () => rawCall<{ data: Member[] }>('GET', '/v1/brands/me/members'),
  });
  const roles = assignableRoles(mine);
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>Team</Title>
        {can(mine, 'team.invite') && !inviting && <Button onClick={() => setInviting(true)}>Invite</Button>}
      </Group>
      <Text size="sm">
        Owners can do everything; admins run campaigns, claims, keys and webhooks; analysts read campaigns and reports;
        billing funds campaigns and reads the ledger. An agency belongs to several brands and switches with the
        Workspace menu.
      </Text>
      {inviting && <InviteForm roles={roles} onClose={() => setInviting(false)} />}
      <QueryState query={members} label="the team">
        {(page) =>
          page.data.length <= 1 && !inviting ? (
            <>
              <MembersTable data={page.data} roles={roles} mine={mine} me={session.data?.user?.id} />
              <Alert color="indigo" variant="light" title="Only you so far">
                {can(mine, 'team.invite') ? (
                  <>
                    Choose <strong>Invite</strong> to add a teammate, your agency or your finance team, each with the
                    role they need.
                  </>
                ) : (
                  'An owner or admin can invite teammates.'
                )}
              </Alert>
            </>
          ) : (
            <MembersTable data={page.data} roles={roles} mine={mine} me={session.data?.user?.id} />
          )
        }
      </QueryState>
      <Text size="xs" c="gray.8">
        Every change here is recorded in the{' '}
        <Anchor component={Link} to="/console/audit-log" size="xs" underline="always">
          audit log
        </Anchor>
        .
      </Text>
    </Stack>
  );
}

function MembersTable({
  data,
  roles,
  mine,
  me,
}: {
  data: Member[];
  roles: BrandRole[];
  mine?: BrandRole;
  me?: string;
}) {
  return (
    <ScrollTable label="Team list" minWidth={480}>
      <Table striped aria-label="Team members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Person</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Joined</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.map((m) => (
            <Table.Tr key={m.userId}>
              <Table.Td className="sway-break">
                {m.name ? `${m.name} · ` : ''}
                {m.email}
                {m.userId === me ? ' (you)' : ''}
              </Table.Td>
              <Table.Td>
                <RoleCell m={m} roles={roles} mine={mine} />
              </Table.Td>
              <Table.Td>{date(m.joinedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
