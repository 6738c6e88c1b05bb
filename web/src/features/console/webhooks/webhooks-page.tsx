import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { ScrollTable } from '../../../shared/ui/scroll-table';
import { StatusBadge } from '../../../shared/ui/status-badge';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, type Schemas } from '../../../api/client';
import { useRole } from '../../../shared/brand-session';
import { ckeys } from '../../../shared/console-queries';
import { dateTime } from '../../../shared/format';
import { can } from '../../../shared/permissions';
import { CopyButton } from '../../../shared/ui/copy-button';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';

type Endpoint = Schemas['WebhookEndpointDto'];
type EventType = Schemas['CreateWebhookEndpointRequestDto']['eventTypes'][number];

/** The subscribable events (api.md "Outgoing webhooks"), with what each one means for the brand. */
const EVENTS: { type: EventType; what: string }[] = [
  { type: 'campaign.activated', what: 'a campaign went live' },
  { type: 'campaign.sold_out', what: 'the last perk was claimed' },
  { type: 'campaign.completed', what: 'a campaign was closed' },
  { type: 'claim.created', what: 'a member claimed a perk' },
  { type: 'claim.fulfilled', what: 'a claim was marked fulfilled' },
  { type: 'share.created', what: 'a member shared, with the disclosure verdict' },
  { type: 'conversion.created', what: 'a sale was attributed' },
  { type: 'conversion.refunded', what: 'an attributed sale was refunded' },
  { type: 'funding.succeeded', what: 'a payment funded a campaign' },
  { type: 'refund.succeeded', what: 'unused budget was refunded' },
];

function EndpointForm({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST('/v1/webhook-endpoints', {
          body: {
            url,
            eventTypes: types as EventType[],
            ...(description ? { description } : {}),
          } as Schemas['CreateWebhookEndpointRequestDto'],
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ckeys.endpoints }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  if (create.data)
    return (
      <Alert color="green" title="Endpoint added — copy its secret now">
        <Stack gap="xs">
          <Text size="sm">
            Verify every delivery with this secret (Standard Webhooks). It is shown only this once; you can rotate it
            later.
          </Text>
          <TextInput
            label="Signing secret"
            readOnly
            value={create.data.secret ?? ''}
            onFocus={(e) => e.currentTarget.select()}
          />
          <Group>
            <CopyButton value={create.data.secret ?? ''} label="Copy secret" what="the secret above" />
            <Button variant="subtle" size="xs" onClick={onClose}>
              Done
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  return (
    <Card withBorder component="section" aria-labelledby="add-ep-h">
      <Title order={2} size="h3" id="add-ep-h">
        Add endpoint
      </Title>
      <form onSubmit={submit} aria-label="Add endpoint">
        <Stack gap="sm" mt="xs">
          <TextInput
            label="URL"
            description="HTTPS; Sway POSTs each event here and expects a 2xx within 15 seconds."
            type="url"
            required
            placeholder="https://"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
          <TextInput
            label="Description"
            description="Optional."
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Checkbox.Group label="Events to send" value={types} onChange={setTypes} required>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt={4} spacing={6}>
              {EVENTS.map((e) => (
                <Checkbox key={e.type} value={e.type} label={e.type} description={e.what} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <ProblemAlert error={create.error} title="Endpoint not added" />
          <Group>
            <Button type="submit" loading={create.isPending} disabled={types.length === 0}>
              Save
            </Button>
            <Button variant="subtle" onClick={onClose}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function Deliveries({ endpoint }: { endpoint: Endpoint }) {
  const qc = useQueryClient();
  const deliveries = useQuery({
    queryKey: ckeys.deliveries(endpoint.id),
    queryFn: () =>
      call(
        api.GET('/v1/webhook-endpoints/{id}/deliveries', {
          params: { path: { id: endpoint.id }, query: { limit: 50 } },
        }),
      ),
  });
  const resend = useMutation({
    mutationFn: (deliveryId: string) =>
      call(
        api.POST('/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/resend', {
          params: { path: { id: endpoint.id, deliveryId } },
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ckeys.deliveries(endpoint.id) }),
  });
  return (
    <QueryState query={deliveries} label="deliveries">
      {(page) =>
        page.data.length === 0 ? (
          <Text size="sm">No deliveries yet. Choose Send test to check your receiver.</Text>
        ) : (
          <>
            <ScrollTable label="Delivery log" minWidth={560}>
              <Table striped aria-label={`Deliveries to ${endpoint.url}`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Event</Table.Th>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Outcome</Table.Th>
                    <Table.Th>Attempt</Table.Th>
                    <Table.Th>
                      <span className="sr-only">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.data.map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td>
                        <code>{d.eventType}</code>
                        {d.origin !== 'event' ? ` (${d.origin})` : ''}
                      </Table.Td>
                      <Table.Td>{dateTime(d.at)}</Table.Td>
                      <Table.Td>
                        {d.status}
                        {d.responseStatus ? ` · HTTP ${d.responseStatus}` : ''}
                        {d.durationMs !== undefined && d.durationMs !== null ? ` · ${d.durationMs} ms` : ''}
                        {d.nextAttemptAt ? ` · next try ${dateTime(d.nextAttemptAt)}` : ''}
                      </Table.Td>
                      <Table.Td>{d.attempt}</Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="default"
                          loading={resend.isPending && resend.variables === d.id}
                          onClick={() => resend.mutate(d.id)}
                          aria-label={`Resend ${d.eventType} of ${dateTime(d.at)}`}
                        >
                          Resend
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            {resend.isSuccess && (
              <Text size="sm" role="status">
                Queued again; it shows up above as a new delivery.
              </Text>
            )}
            <ProblemAlert error={resend.error} title="Not resent" />
          </>
        )
      }
    </QueryState>
  );
}

function EndpointCard({ endpoint }: { endpoint: Endpoint }) {
  const qc = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  const refresh = () => void qc.invalidateQueries({ queryKey: ckeys.endpoints });
  const toggle = useMutation({
    mutationFn: () =>
      call(
        api.PATCH('/v1/webhook-endpoints/{id}', {
          params: { path: { id: endpoint.id } },
          body: { status: endpoint.status === 'enabled' ? 'disabled' : 'enabled' },
        }),
      ),
    onSuccess: refresh,
  });
  const test = useMutation({
    mutationFn: () => call(api.POST('/v1/webhook-endpoints/{id}/test', { params: { path: { id: endpoint.id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ckeys.deliveries(endpoint.id) }),
  });
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } } })),
    onSuccess: refresh,
  });
  return (
    <Card withBorder component="li">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Stack gap={0}>
          <Text fw={600} className="sway-break">
            {endpoint.url}
          </Text>
          {endpoint.description && <Text size="sm">{endpoint.description}</Text>}
        </Stack>
        <StatusBadge color={endpoint.status === 'enabled' ? 'green.9' : 'gray.8'}>
          {endpoint.status === 'enabled' ? 'Enabled' : 'Disabled'}
        </StatusBadge>
      </Group>
      {endpoint.status === 'disabled' && endpoint.disabledReason && endpoint.disabledReason !== 'manual' && (
        <Alert color="orange" mt="xs" title="Sway stopped sending here">
          {endpoint.disabledReason === 'gone'
            ? 'The receiver answered 410 Gone.'
            : `Deliveries kept failing (${endpoint.failureStreak} in a row).`}{' '}
          Fix the receiver, then choose Enable.
        </Alert>
      )}
      <Text size="sm" mt="xs" className="sway-break">
        Events: {endpoint.eventTypes.join(', ')}
      </Text>
      <Group gap="xs" mt="xs" wrap="wrap">
        <Button
          size="xs"
          variant="default"
          loading={test.isPending}
          onClick={() => test.mutate()}
          aria-label={`Send test to ${endpoint.url}`}
        >
          Send test
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={toggle.isPending}
          onClick={() => toggle.mutate()}
          aria-label={`${endpoint.status === 'enabled' ? 'Disable' : 'Enable'} ${endpoint.url}`}
        >
          {endpoint.status === 'enabled' ? 'Disable' : 'Enable'}
        </Button>
        <Button
          size="xs"
          variant="default"
          color="red"
          onClick={() => setDeleting(true)}
          aria-label={`Delete ${endpoint.url}`}
        >
          Delete
        </Button>
      </Group>
      <ProblemAlert error={test.error ?? toggle.error} title="That did not work" />
      <Title order={3} size="h5" mt="sm" mb={4}>
        Deliveries
      </Title>
      <Deliveries endpoint={endpoint} />
      <Modal opened={deleting} onClose={() => setDeleting(false)} title="Delete this endpoint?">
        <Stack>
          <Text className="sway-break">Sway stops sending to {endpoint.url} and forgets its delivery log.</Text>
          <ProblemAlert error={remove.error} title="Not deleted" />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(false)}>
              Keep it
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Yes, delete it
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

export function WebhooksPage() {
  const role = useRole();
  const [adding, setAdding] = useState(false);
  const endpoints = useQuery({
    queryKey: ckeys.endpoints,
    queryFn: () => call(api.GET('/v1/webhook-endpoints')),
    enabled: can(role, 'webhooks.manage'),
  });
  if (!can(role, 'webhooks.manage'))
    return (
      <Alert color="yellow" title="Your role cannot manage webhooks">
        Owners and admins add webhook endpoints.
      </Alert>
    );
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>Webhooks</Title>
        {!adding && <Button onClick={() => setAdding(true)}>Add endpoint</Button>}
      </Group>
      <Text size="sm">
        Sway tells your systems about claims, fulfilment, shares and sales the moment they happen, signed per Standard
        Webhooks and retried for about three days.
      </Text>
      {adding && <EndpointForm onClose={() => setAdding(false)} />}
      <QueryState query={endpoints} label="webhook endpoints">
        {(page) =>
          page.data.length === 0 ? (
            !adding && (
              <Alert color="indigo" variant="light" title="No endpoints yet">
                Choose <strong>Add endpoint</strong>, give the URL of your receiver and pick the events it wants.
              </Alert>
            )
          ) : (
            <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Webhook endpoints">
              {page.data.map((e) => (
                <EndpointCard key={e.id} endpoint={e} />
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
