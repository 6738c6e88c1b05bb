import { ScrollTable } from '../../../shared/ui/scroll-table';
import { Alert, Button, Card, Group, Modal, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { StatusBadge } from '../../../shared/ui/status-badge';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call, rawCall } from '../../../api/client';
import { useRole } from '../../../shared/brand-session';
import { ckeys } from '../../../shared/console-queries';
import { date } from '../../../shared/format';
import { assignableRoles, can, ROLE_LABEL, type BrandRole } from '../../../shared/permissions';
import { CopyButton } from '../../../shared/ui/copy-button';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';

interface ApiKey {
  id: string;
  prefix: string;
  role?: BrandRole;
  createdAt: string;
  revokedAt?: string | null;
}

export function KeysPage() {
  const qc = useQueryClient();
  const mine = useRole();
  const roles = assignableRoles(mine).filter((r) => r !== 'owner');
  const [role, setRole] = useState<BrandRole>('admin');
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const keysQ = useQuery({ queryKey: ckeys.keys, queryFn: () => call(api.GET('/v1/brands/me/api-keys')) });
  const create = useMutation({
    mutationFn: () =>
      rawCall<{ id: string; apiKey: string; prefix: string; role?: BrandRole }>('POST', '/v1/brands/me/api-keys', {
        role,
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ckeys.keys }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/v1/brands/me/api-keys/{keyId}', { params: { path: { keyId: id } } })),
    onSuccess: () => {
      setRevoking(null);
      void qc.invalidateQueries({ queryKey: ckeys.keys });
    },
  });
  if (!can(mine, 'keys.manage'))
    return (
      <Alert color="yellow" title="Your role cannot manage API keys">
        Owners and admins create and revoke keys.
      </Alert>
    );
  return (
    <Stack>
      <Title order={1}>API keys</Title>
      <Text size="sm">
        Keys let your own systems call the Sway API (campaigns, conversions, reports). Each key carries a role, like a
        person. You do not need a key to use this console.
      </Text>
      <Card withBorder component="section" aria-labelledby="new-key-h">
        <Title order={2} size="h3" id="new-key-h">
          New key
        </Title>
        <Group align="flex-end" gap="sm" mt="xs" wrap="wrap">
          <NativeSelect
            label="Key role"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as BrandRole)}
            data={roles.map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
          />
          <Button loading={create.isPending} onClick={() => create.mutate()}>
            Create key
          </Button>
        </Group>
        <ProblemAlert error={create.error} title="Key not created" />
        {create.data && (
          <Alert color="green" title="Copy your new key now" mt="sm">
            <Stack gap="xs">
              <Text size="sm">Sway stores only a hash of it: this is the only time the full key is shown.</Text>
              <TextInput
                label="New API key"
                readOnly
                value={create.data.apiKey}
                onFocus={(e) => e.currentTarget.select()}
                className="sway-break"
              />
              <Group>
                <CopyButton value={create.data.apiKey} label="Copy key" what="the key above" />
                <Button variant="subtle" size="xs" onClick={() => create.reset()}>
                  I have saved it — hide it
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
      </Card>
      <QueryState query={keysQ} label="API keys">
        {(page) => {
          const keys = page.data as ApiKey[];
          return keys.length === 0 ? (
            <Alert color="indigo" variant="light" title="No API keys">
              Create a key when a system of yours (a shop, a CRM, a warehouse) should talk to Sway.
            </Alert>
          ) : (
            <ScrollTable label="Key list" minWidth={480}>
              <Table striped aria-label="API keys">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>State</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {keys.map((k) => (
                    <Table.Tr key={k.id}>
                      <Table.Td>
                        <code>{k.prefix}…</code>
                      </Table.Td>
                      <Table.Td>{k.role ? ROLE_LABEL[k.role] : 'Admin'}</Table.Td>
                      <Table.Td>{date(k.createdAt)}</Table.Td>
                      <Table.Td>
                        {k.revokedAt ? (
                          <StatusBadge color="gray.8">Revoked {date(k.revokedAt)}</StatusBadge>
                        ) : (
                          <Button
                            size="xs"
                            variant="default"
                            color="red"
                            onClick={() => setRevoking(k)}
                            aria-label={`Revoke ${k.prefix}`}
                          >
                            Revoke
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          );
        }}
      </QueryState>
      <Modal opened={!!revoking} onClose={() => setRevoking(null)} title="Revoke this key?">
        <Stack>
          <Text>
            <code>{revoking?.prefix}…</code> stops working at once: every system using it gets 401 from now on.
          </Text>
          <ProblemAlert error={revoke.error} title="Not revoked" />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              Keep it
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking.id)}>
              Yes, revoke it
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
