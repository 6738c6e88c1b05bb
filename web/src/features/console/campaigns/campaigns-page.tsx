import { ScrollTable } from '../../../shared/ui/scroll-table';
import { StatusBadge } from '../../../shared/ui/status-badge';
import { Alert, Anchor, Button, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../../../api/client';
import { useRole } from '../../../shared/brand-session';
import { ckeys, STATUS_COLOR, STATUS_LABEL } from '../../../shared/console-queries';
import { date, money } from '../../../shared/format';
import { can } from '../../../shared/permissions';
import { QueryState } from '../../../shared/ui/query-state';

export function CampaignsPage() {
  const role = useRole();
  const campaigns = useQuery({
    queryKey: ckeys.campaigns,
    queryFn: () => call(api.GET('/v1/campaigns', { params: { query: { limit: 200 } } })),
  });
  const mayCreate = can(role, 'campaigns.write');
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>Campaigns</Title>
        {mayCreate && (
          <Button component={Link} to="/console/campaigns/new">
            New campaign
          </Button>
        )}
      </Group>
      <QueryState query={campaigns} label="campaigns">
        {(page) =>
          page.data.length === 0 ? (
            <Alert color="indigo" variant="light" title="No campaigns yet">
              {mayCreate ? (
                <List size="sm" type="ordered" spacing={4}>
                  <List.Item>
                    Choose <strong>New campaign</strong>: describe the perk, who it is for (topics, minimum score,
                    countries) and watch how many members are eligible.
                  </List.Item>
                  <List.Item>Fund it through Stripe Checkout; it goes live the moment the payment arrives.</List.Item>
                  <List.Item>Members claim the perk, share it, and the report shows clicks, sales and ROI.</List.Item>
                </List>
              ) : (
                <Text size="sm">
                  Your role can read campaigns but not create them. Ask an owner or admin of this brand to create the
                  first one.
                </Text>
              )}
            </Alert>
          ) : (
            <ScrollTable label="Campaign list" minWidth={560}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Campaign</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Claimed</Table.Th>
                    <Table.Th>Funded</Table.Th>
                    <Table.Th>Created</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.data.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/console/campaigns/${c.id}`}>
                          {c.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge color={STATUS_COLOR[c.status]}>{STATUS_LABEL[c.status]}</StatusBadge>
                      </Table.Td>
                      <Table.Td>
                        {c.claimed} / {c.inventory}
                      </Table.Td>
                      <Table.Td>{money(c.fundedCents, c.perk.currency)}</Table.Td>
                      <Table.Td>{date(c.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      </QueryState>
    </Stack>
  );
}
