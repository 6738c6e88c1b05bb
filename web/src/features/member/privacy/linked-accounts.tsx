import { Alert, Badge, Button, Card, Code, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, call, type Schemas } from '../../../api/client';
import { dateTime } from '../../../shared/format';
import { keys } from '../../../shared/queries';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';

type Account = Schemas['SocialAccountDto'];

const NETWORK_NAMES: Record<string, string> = { bluesky: 'Bluesky', mastodon: 'Mastodon' };
const SYNC_WORDS: Record<string, string> = {
  ok: 'read completely',
  partial: 'read in part (the rest next time)',
  rate_limited: 'paused by the network’s rate limit; it resumes by itself',
  failed: 'failed; Sway retries later',
  skipped_no_consent: 'not read: “Match me with perks” is off',
};

/** `?linkError=` from the Mastodon callback: a fixed word, explained here. */
const LINK_ERRORS: Record<string, string> = {
  expired: 'The authorisation took too long or was already used. Start linking again.',
  declined: 'You did not allow Sway on your instance, so nothing was linked.',
  taken: 'This account is already linked to another Sway member.',
  mismatch: 'You signed in on the instance as a different account than the one you asked to link.',
  unavailable: 'Your instance did not answer. Try again in a moment.',
};

const networkName = (n: string): string => NETWORK_NAMES[n] ?? n;
const handleText = (a: Account): string => (a.network === 'mastodon' ? a.handle : `@${a.handle}`);

/** What Sway read through the account, in words: last sync, its outcome, the posts it holds. */
function SyncState({ a }: { a: Account }) {
  if (a.status === undefined) return <Text size="sm">Declared by you; Sway does not read it itself.</Text>;
  if (a.status === 'unverified') return <Text size="sm">Waiting for the code in your profile.</Text>;
  if (!a.lastSyncAt) return <Text size="sm">Linked. The first read is on its way.</Text>;
  return (
    <Text size="sm">
      Last read {dateTime(a.lastSyncAt)}: {SYNC_WORDS[a.lastSyncStatus ?? ''] ?? a.lastSyncStatus}. {a.postsRead ?? 0}{' '}
      public post{a.postsRead === 1 ? '' : 's'} held (ids, links and topics — never their text).
    </Text>
  );
}

function AccountItem({ a, code }: { a: Account; code: string | undefined }) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: keys.accounts });
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/v1/me/social-accounts/{id}', { params: { path: { id: a.id } } })),
    onSuccess: () => {
      void refresh();
      void qc.invalidateQueries({ queryKey: keys.scores });
    },
  });
  const verify = useMutation({
    mutationFn: () => call(api.POST('/v1/me/social-accounts/{id}/verify', { params: { path: { id: a.id } } })),
    onSuccess: refresh,
  });
  const sync = useMutation({
    mutationFn: () => call(api.POST('/v1/me/social-accounts/{id}/sync', { params: { path: { id: a.id } } })),
    // The read runs in the background; the list shows its outcome once it is done.
    onSuccess: () => setTimeout(() => void refresh(), 3_000),
  });
  const name = `${networkName(a.network)} account ${handleText(a)}`;
  return (
    <List.Item>
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          <Badge variant="outline" color="dark">
            {networkName(a.network)}
          </Badge>
          <Text fw={600} className="sway-break">
            {handleText(a)}
          </Text>
          {a.status === 'verified' && (
            <Badge variant="light" color="green.9">
              verified
            </Badge>
          )}
        </Group>
        <SyncState a={a} />
        {a.status === 'unverified' && (
          <Text size="sm">
            {code ? (
              <>
                Put <Code>{code}</Code> anywhere in your Bluesky profile description, save it, then press Verify. You
                can remove it once the account is verified.
              </>
            ) : (
              <>Put the code you were shown into your Bluesky profile description, then press Verify.</>
            )}
          </Text>
        )}
        <Group gap="xs">
          {a.status === 'unverified' && (
            <Button size="xs" aria-label={`Verify ${name}`} loading={verify.isPending} onClick={() => verify.mutate()}>
              Verify
            </Button>
          )}
          {a.status === 'verified' && (
            <Button
              size="xs"
              variant="default"
              aria-label={`Sync now ${name}`}
              loading={sync.isPending}
              onClick={() => sync.mutate()}
            >
              Sync now
            </Button>
          )}
          <Button
            size="xs"
            color="red"
            variant="default"
            aria-label={`Remove ${name}`}
            loading={remove.isPending}
            onClick={() => remove.mutate()}
          >
            Remove
          </Button>
        </Group>
        {sync.isSuccess && (
          <Text size="sm" role="status">
            Sync queued: this list updates when it is done.
          </Text>
        )}
        <ProblemAlert error={verify.error} title="Not verified yet" />
        <ProblemAlert error={sync.error} title="Not synced" />
        <ProblemAlert error={remove.error} title="Account not removed" />
      </Stack>
    </List.Item>
  );
}

function LinkBluesky({ onCode }: { onCode: (id: string, code: string) => void }) {
  const qc = useQueryClient();
  const [handle, setHandle] = useState('');
  const link = useMutation({
    mutationFn: (h: string) => call(api.POST('/v1/me/social-accounts/bluesky', { body: { handle: h } })),
    onSuccess: (r) => {
      onCode(r.account.id, r.verificationCode);
      setHandle('');
      void qc.invalidateQueries({ queryKey: keys.accounts });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    link.mutate(handle);
  };
  return (
    <form onSubmit={submit} aria-label="Link Bluesky">
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput
          label="Bluesky handle"
          placeholder="alice.bsky.social"
          value={handle}
          onChange={(e) => setHandle(e.currentTarget.value)}
          autoComplete="off"
          required
        />
        <Button type="submit" loading={link.isPending}>
          Link Bluesky
        </Button>
      </Group>
      <ProblemAlert error={link.error} title="Bluesky account not linked" />
    </form>
  );
}

function LinkMastodon() {
  const [account, setAccount] = useState('');
  const start = useMutation({
    mutationFn: (a: string) => call(api.POST('/v1/me/social-accounts/mastodon', { body: { account: a } })),
    // The instance asks the member to approve Sway, then sends the browser back to this page.
    onSuccess: (r) => window.location.assign(r.authorizeUrl),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate(account);
  };
  return (
    <form onSubmit={submit} aria-label="Link Mastodon">
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput
          label="Mastodon address"
          placeholder="@alice@mastodon.social"
          value={account}
          onChange={(e) => setAccount(e.currentTarget.value)}
          autoComplete="off"
          required
        />
        <Button type="submit" loading={start.isPending || start.isSuccess}>
          Link Mastodon
        </Button>
      </Group>
      <Text size="sm" c="gray.7" mt={4}>
        Your instance asks you to let Sway read your account and public posts (nothing else), then brings you back here.
      </Text>
      <ProblemAlert error={start.error} title="Mastodon account not linked" />
    </form>
  );
}

export function LinkedAccounts() {
  const accounts = useQuery({ queryKey: keys.accounts, queryFn: () => call(api.GET('/v1/me/social-accounts')) });
  // A code is shown once, when it is issued; a reload asks the member to use the one they copied.
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [params, setParams] = useSearchParams();
  const linked = params.get('linked');
  const linkError = params.get('linkError');
  return (
    <Card withBorder component="section" aria-labelledby="accounts">
      <Title order={2} size="h3" id="accounts">
        Linked social accounts
      </Title>
      <Text size="sm" mt={4}>
        Your score comes only from the public activity of these accounts: your public posts, how many people react to
        them, and your follower count. Removing an account deletes everything Sway read through it.
      </Text>
      {linked && (
        <Alert
          mt="xs"
          color="green"
          variant="light"
          role="status"
          title={`${networkName(linked)} account linked`}
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setParams({}, { replace: true })}
        >
          Sway reads it now and every day; its posts count from the next scoring run.
        </Alert>
      )}
      {linkError && (
        <Alert
          mt="xs"
          color="red"
          variant="light"
          role="alert"
          title="Mastodon account not linked"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setParams({}, { replace: true })}
        >
          {LINK_ERRORS[linkError] ?? 'Linking failed. Start again.'}
        </Alert>
      )}
      <QueryState query={accounts} label="your linked accounts">
        {(a) =>
          a.data.length === 0 ? (
            <Text mt="xs">No account linked yet.</Text>
          ) : (
            <List mt="xs" listStyleType="none" spacing="md">
              {a.data.map((s) => (
                <AccountItem key={s.id} a={s} code={codes[s.id]} />
              ))}
            </List>
          )
        }
      </QueryState>
      <Stack gap="md" mt="md">
        <LinkBluesky onCode={(id, code) => setCodes((c) => ({ ...c, [id]: code }))} />
        <LinkMastodon />
      </Stack>
    </Card>
  );
}
