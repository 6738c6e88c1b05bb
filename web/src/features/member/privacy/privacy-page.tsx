import { Badge, Button, Card, Group, List, Modal, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, call } from '../../../api/client';
import { AddressForm } from '../../../shared/forms/address-form';
import { dateTime } from '../../../shared/format';
import { keys, useMe } from '../../../shared/queries';
import { useForget, useSignOut } from '../../../shared/session';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';
import { LinkedAccounts } from './linked-accounts';
import { NotificationPreferenceFields, type Prefs } from '../../../shared/forms/notification-preferences';

const PURPOSES = {
  matching: 'Match me with perks',
  shareStatsWithBrands: 'Share my stats with brands',
} as const;

/**
 * What the person just picked, shown in the click's own render until the server's answer shows it: the query
 * cache notifies its observers a tick later, and a controlled input that re-renders with the old value in between
 * snaps back (reads as broken). A pick the answer holds is dropped; a newer pick of the same field stays until its
 * own answer; `revert` takes back the picks of a request that failed.
 */
function useLocalPicks<T extends object>(answer: T | undefined) {
  const [picked, setPicked] = useState<Partial<T>>({});
  useEffect(() => {
    if (answer) setPicked((cur) => without(cur, answer));
  }, [answer]);
  return {
    picked,
    pick: (patch: Partial<T>) => setPicked((cur) => ({ ...cur, ...patch })),
    revert: (patch: Partial<T>) => setPicked((cur) => without(cur, patch)),
  };
}

/** `cur` less the fields whose value `done` already holds (the same object when there are none). */
function without<T extends object>(cur: Partial<T>, done: Partial<T>): Partial<T> {
  const settled = (Object.keys(cur) as (keyof T)[]).filter((k) => cur[k] === done[k]);
  if (!settled.length) return cur;
  const out = { ...cur };
  for (const k of settled) delete out[k];
  return out;
}

type ConsentChoice = { matching?: boolean; shareStatsWithBrands?: boolean };

function Consents() {
  const qc = useQueryClient();
  const consents = useQuery({ queryKey: keys.consents, queryFn: () => call(api.GET('/v1/me/consents')) });
  const { picked, pick, revert } = useLocalPicks<ConsentChoice>(consents.data);
  const update = useMutation({
    mutationFn: (body: ConsentChoice) => call(api.PUT('/v1/me/consents', { body })),
    // A refetch in flight must not land after the change and undo it on screen.
    onMutate: () => qc.cancelQueries({ queryKey: keys.consents }),
    onSuccess: (data) => {
      qc.setQueryData(keys.consents, data);
      void qc.invalidateQueries({ queryKey: keys.offers });
    },
    onError: (_e, body) => revert(body),
  });
  const choose = (body: ConsentChoice) => {
    pick(body);
    update.mutate(body);
  };
  return (
    <Card withBorder component="section" aria-labelledby="consents">
      <Title order={2} size="h3" id="consents">
        Your choices
      </Title>
      <QueryState query={consents} label="your choices">
        {(c) => (
          <Stack gap="sm" mt="xs">
            <Switch
              label="Match me with perks"
              description="Sway offers you perks that fit your topics. Turning it off withdraws every pending offer."
              checked={picked.matching ?? c.matching}
              disabled={update.isPending}
              onChange={(e) => choose({ matching: e.currentTarget.checked })}
            />
            <Switch
              label="Share my stats with brands"
              description="Brands whose perks you claim see your display name, handles and scores instead of a pseudonym."
              checked={picked.shareStatsWithBrands ?? c.shareStatsWithBrands}
              disabled={update.isPending}
              onChange={(e) => choose({ shareStatsWithBrands: e.currentTarget.checked })}
            />
            <ProblemAlert error={update.error} title="Choice not saved" />
            <details>
              <summary>History of your choices</summary>
              <List size="sm" mt={4}>
                {[...c.history].reverse().map((h, i) => (
                  <List.Item key={`${h.at}-${h.purpose}-${i}`}>
                    {dateTime(h.at)}: {PURPOSES[h.purpose]} — {h.granted ? 'on' : 'off'} (notice {h.noticeVersion})
                  </List.Item>
                ))}
              </List>
            </details>
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}

function NotificationSettings() {
  const qc = useQueryClient();
  const prefs = useQuery({
    queryKey: keys.notificationPreferences,
    queryFn: () => call(api.GET('/v1/me/notification-preferences')),
  });
  const { picked, pick, revert } = useLocalPicks<Prefs>(prefs.data);
  const update = useMutation({
    mutationFn: (body: Prefs) => call(api.PUT('/v1/me/notification-preferences', { body })),
    // A refetch in flight must not land after the change and undo it on screen.
    onMutate: () => qc.cancelQueries({ queryKey: keys.notificationPreferences }),
    onSuccess: (data) => qc.setQueryData(keys.notificationPreferences, data),
    onError: (_e, body) => {
      revert(body);
      void qc.invalidateQueries({ queryKey: keys.notificationPreferences });
    },
  });
  return (
    <Card withBorder component="section" aria-labelledby="notification-settings">
      <Title order={2} size="h3" id="notification-settings">
        Notifications by mail
      </Title>
      <QueryState query={prefs} label="your notification settings">
        {(p) => (
          <Stack gap="sm" mt="xs">
            <NotificationPreferenceFields
              value={{ ...p, ...picked }}
              onChange={(key, mode) => {
                pick({ [key]: mode });
                update.mutate({ [key]: mode });
              }}
            />
            <ProblemAlert error={update.error} title="Setting not saved" />
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}

function Address() {
  const me = useMe();
  return (
    <Card withBorder component="section" aria-labelledby="address">
      <Title order={2} size="h3" id="address">
        Shipping address
      </Title>
      <Text size="sm" mb="xs">
        Used only for product perks you claim; a brand sees it on that claim until it ships.
      </Text>
      <QueryState query={me} label="your address">
        {(m) => <AddressForm initial={m.shippingAddress} />}
      </QueryState>
    </Card>
  );
}

function Export() {
  const download = useMutation({
    mutationFn: async () => {
      const data = await call(api.GET('/v1/me/export'));
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `sway-export-${new Date().toISOString().slice(0, 10)}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    },
  });
  return (
    <Card withBorder component="section" aria-labelledby="export">
      <Title order={2} size="h3" id="export">
        Your data
      </Title>
      <Text size="sm" my="xs">
        Everything Sway stores about you — profile, choices and their history, accounts, signals, scores, offers,
        claims, shares and clicks on your links — as one JSON file.
      </Text>
      <Group>
        <Button onClick={() => download.mutate()} loading={download.isPending}>
          Download my data
        </Button>
      </Group>
      {download.isSuccess && (
        <Text size="sm" role="status" mt="xs">
          Your file has been downloaded.
        </Text>
      )}
      <ProblemAlert error={download.error} title="Export failed" />
    </Card>
  );
}

function Sessions() {
  const qc = useQueryClient();
  const sessions = useQuery({ queryKey: keys.sessions, queryFn: () => call(api.GET('/v1/sessions')) });
  const revoke = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/v1/sessions/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.sessions }),
  });
  const everywhere = useSignOut(true);
  return (
    <Card withBorder component="section" aria-labelledby="sessions">
      <Title order={2} size="h3" id="sessions">
        Where you are signed in
      </Title>
      <QueryState query={sessions} label="your sessions">
        {(s) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Browser</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>
                    <span className="sr-only">Action</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.data.map((x) => (
                  <Table.Tr key={x.id}>
                    <Table.Td className="sway-break">
                      {x.userAgent ?? 'Unknown browser'}{' '}
                      {x.current && (
                        <Badge variant="outline" color="dark">
                          this browser
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{dateTime(x.lastSeenAt)}</Table.Td>
                    <Table.Td>
                      {!x.current && (
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={`Sign out the session last used ${dateTime(x.lastSeenAt)}`}
                          onClick={() => revoke.mutate(x.id)}
                        >
                          Sign out
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      <ProblemAlert error={revoke.error ?? everywhere.error} title="Not signed out" />
      <Group mt="xs">
        <Button variant="outline" loading={everywhere.isPending} onClick={() => everywhere.mutate()}>
          Sign out everywhere
        </Button>
      </Group>
    </Card>
  );
}

function DeleteAccount() {
  const forget = useForget();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const erase = useMutation({
    mutationFn: () => call(api.DELETE('/v1/me')),
    onSuccess: () => forget('/login?erased=1'),
  });
  return (
    <Card withBorder component="section" aria-labelledby="delete">
      <Title order={2} size="h3" id="delete">
        Delete my account
      </Title>
      <Text size="sm" my="xs">
        Erases your email, name, address, linked accounts, password and signals within seconds, and withdraws your
        pending offers. Claims, clicks and sales stay for brands’ accounting under a pseudonym, so their reports keep
        their totals — nothing in them points back to you.
      </Text>
      <Group>
        <Button color="red" onClick={() => setOpen(true)}>
          Delete my account
        </Button>
      </Group>
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={open}
        onClose={() => setOpen(false)}
        title="Delete your Sway account?"
      >
        <Stack gap="sm">
          <Text size="sm">This cannot be undone. Download your data first if you want a copy.</Text>
          <TextInput
            label="Type DELETE to confirm"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            autoComplete="off"
            data-autofocus
          />
          <ProblemAlert error={erase.error} title="Account not deleted" />
          <Group justify="flex-end">
            <Button variant="subtle" onClick={() => setOpen(false)}>
              Keep my account
            </Button>
            <Button color="red" disabled={typed !== 'DELETE'} loading={erase.isPending} onClick={() => erase.mutate()}>
              Delete forever
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

export function PrivacyPage() {
  return (
    <Stack>
      <Title order={1}>Privacy and your data</Title>
      <Consents />
      <NotificationSettings />
      <LinkedAccounts />
      <Address />
      <Export />
      <Sessions />
      <DeleteAccount />
    </Stack>
  );
}
