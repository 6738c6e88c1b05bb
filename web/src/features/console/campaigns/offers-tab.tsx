import { ScrollTable } from '../../../shared/ui/scroll-table';
import { Alert, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ckeys } from '../../../shared/console-queries';
import { dateTime } from '../../../shared/format';
import { QueryState } from '../../../shared/ui/query-state';
import { useCampaignOutlet } from './campaign-page';

export function OffersTab() {
  const { campaign } = useCampaignOutlet();
  const offers = useQuery({
    queryKey: ckeys.offers(campaign.id),
    queryFn: () =>
      call(api.GET('/v1/campaigns/{id}/offers', { params: { path: { id: campaign.id }, query: { limit: 200 } } })),
  });
  return (
    <Stack component="section" aria-labelledby="offers-h">
      <Title order={2} id="offers-h">
        Offers
      </Title>
      <QueryState query={offers} label="offers">
        {(page) =>
          page.data.length === 0 ? (
            <Alert color="indigo" variant="light" title="No offers yet">
              {campaign.status === 'active'
                ? 'Matching is running; offers appear within a minute. If none come, widen the targeting of your next campaign.'
                : 'Sway offers the perk to the best-matching members once the campaign is funded.'}
            </Alert>
          ) : (
            <>
              <Text size="sm" c="gray.8">
                Members appear under a pseudonym unless they chose to share their stats with brands.
              </Text>
              <ScrollTable label="Offer list" minWidth={520}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Member</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Match</Table.Th>
                      <Table.Th>Offered</Table.Th>
                      <Table.Th>Expires</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.data.map((o) => (
                      <Table.Tr key={o.id}>
                        <Table.Td className="sway-break">
                          {o.influencer.displayName
                            ? `${o.influencer.displayName} (${o.influencer.ref})`
                            : o.influencer.ref}
                        </Table.Td>
                        <Table.Td>{o.status}</Table.Td>
                        <Table.Td>{Math.round(o.matchScore)}</Table.Td>
                        <Table.Td>{dateTime(o.createdAt)}</Table.Td>
                        <Table.Td>{dateTime(o.expiresAt)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
