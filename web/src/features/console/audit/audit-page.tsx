import { ScrollTable } from '../../../shared/ui/scroll-table';
import { Alert, Button, Code, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { rawCall } from '../../../api/client';
import { useRole } from '../../../shared/brand-session';
import { ckeys } from '../../../shared/console-queries';
import { dateTime } from '../../../shared/format';
import { can } from '../../../shared/permissions';
import { ProblemAlert } from '../../../shared/ui/problem-alert';

interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: 'user' | 'api_key' | 'admin'; id: string | null; name?: string | null };
  action: string;
  target: { type: string; id: string };
  changes?: Record<string, unknown> | null;
}

const ACTOR: Record<AuditEntry['actor']['kind'], string> = { user: '', api_key: 'API key ', admin: 'Sway operator ' };

export function AuditPage() {
  const role = useRole();
  const log = useInfiniteQuery({
    queryKey: ckeys.audit,
    queryFn: ({ pageParam }) =>
      rawCall<{ data: AuditEntry[]; nextCursor: string | null }>(
        'GET',
        `/v1/brands/me/audit-log?limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (p) => p.nextCursor ?? undefined,
    enabled: can(role, 'audit.read'),
  });
  if (!can(role, 'audit.read'))
    return (
      <Alert color="yellow" title="Your role cannot read the audit log">
        Owners, admins and analysts can.
      </Alert>
    );
  const entries = log.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack>
      <Title order={1}>Audit log</Title>
      <Text size="sm">
        Every change a person or key made to this brand’s campaigns, claims, keys, team and webhooks: who, when, what.
        Members appear only under their pseudonym.
      </Text>
      {log.isPending ? (
        <Text role="status">Loading the audit log…</Text>
      ) : log.isError ? (
        <ProblemAlert error={log.error} title="Could not load the audit log" />
      ) : entries.length === 0 ? (
        <Alert color="indigo" variant="light" title="Nothing recorded yet">
          Changes appear here as soon as someone creates a campaign, invites a teammate or creates a key.
        </Alert>
      ) : (
        <ScrollTable label="Audit entries" minWidth={640}>
          <Table striped aria-label="Audit log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>Changes</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{dateTime(e.at)}</Table.Td>
                  <Table.Td className="sway-break">
                    {ACTOR[e.actor.kind]}
                    {e.actor.name ?? (e.actor.id ? e.actor.id.slice(0, 8) : '')}
                  </Table.Td>
                  <Table.Td>
                    <Code>{e.action}</Code>
                    <Text size="xs" c="gray.8">
                      {e.target.type} {e.target.id.slice(0, 8)}
                    </Text>
                  </Table.Td>
                  <Table.Td className="sway-break">
                    {e.changes
                      ? Object.entries(e.changes)
                          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                          .join('; ')
                      : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {log.hasNextPage && (
        <Button variant="default" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Show older entries
        </Button>
      )}
    </Stack>
  );
}
