import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call, type Schemas } from '../../../api/client';
import { AddressForm } from '../../../shared/forms/address-form';
import { money, relative } from '../../../shared/format';
import { keys, useMe, usePendingOffers } from '../../../shared/queries';
import { ProblemAlert } from '../../../shared/ui/problem-alert';
import { QueryState } from '../../../shared/ui/query-state';

type Offer = Schemas['MemberOfferDto'];

/** Re-renders once a minute so the expiry countdown stays true. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

function OfferCard({ offer, now, onClaimed }: { offer: Offer; now: number; onClaimed: (title: string) => void }) {
  const qc = useQueryClient();
  const me = useMe();
  const [askAddress, setAskAddress] = useState(false);
  const done = () => {
    void qc.invalidateQueries({ queryKey: keys.offers });
    void qc.invalidateQueries({ queryKey: keys.claims });
  };
  const claim = useMutation({
    // One key per offer: a double click or a retry after a timeout claims once.
    mutationFn: () =>
      call(
        api.POST('/v1/me/offers/{id}/claim', {
          params: { path: { id: offer.id }, header: { 'Idempotency-Key': `claim-${offer.id}` } },
        }),
      ),
    onSuccess: () => {
      // The claimed offer leaves the pending list, so the page (not this card) says where the perk went.
      onClaimed(offer.perk.title);
      done();
    },
  });
  const decline = useMutation({
    mutationFn: () => call(api.POST('/v1/me/offers/{id}/decline', { params: { path: { id: offer.id } } })),
    onSuccess: done,
  });
  const isProduct = offer.perk.kind === 'product';
  const startClaim = () => (isProduct ? setAskAddress(true) : claim.mutate());
  const title = offer.perk.title;
  return (
    <Card withBorder component="article" aria-label={title}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h3">
            {title}
          </Title>
          <Badge variant="outline" color="dark">
            {offer.perk.kind}
          </Badge>
        </Group>
        <Text>
          From <b>{offer.perk.brandName}</b> · worth {money(offer.perk.unitCostCents, offer.perk.currency)}
        </Text>
        <Text>{offer.perk.description}</Text>
        <Text size="sm">
          <b>What’s asked of you:</b> nothing. Perks carry no obligation to post; if you do post about it, say it was a
          gift.
        </Text>
        <Text size="sm">
          Expires <time dateTime={offer.expiresAt}>{relative(offer.expiresAt, now)}</time>.
        </Text>
        {askAddress ? (
          <Stack gap="xs">
            <Text fw={600}>Where should {offer.perk.brandName} send it?</Text>
            <Text size="sm">
              The brand sees this address only on this claim, only until it ships, and it is removed 30 days after.
            </Text>
            <AddressForm
              initial={me.data?.shippingAddress ?? null}
              submitLabel="Save address"
              onSaved={() => claim.mutate()}
            />
            <Button variant="subtle" onClick={() => setAskAddress(false)}>
              Not now
            </Button>
          </Stack>
        ) : (
          <Group>
            <Button onClick={startClaim} loading={claim.isPending} aria-label={`Claim ${title}`}>
              Claim
            </Button>
            <Button
              variant="outline"
              color="gray"
              onClick={() => decline.mutate()}
              loading={decline.isPending}
              aria-label={`Decline ${title}`}
            >
              Decline
            </Button>
          </Group>
        )}
        <ProblemAlert error={claim.error} title="Not claimed" />
        <ProblemAlert error={decline.error} title="Not declined" />
      </Stack>
    </Card>
  );
}

export function OffersPage() {
  const offers = usePendingOffers();
  const now = useNow();
  const [claimed, setClaimed] = useState<string[]>([]);
  return (
    <Stack>
      <Title order={1}>Offers</Title>
      <div role="status">
        {claimed.map((title) => (
          <Alert key={title} color="green" title={`Claimed: ${title}`} mb="xs">
            Your code and link are in <Link to="/me/perks">My perks</Link>.
          </Alert>
        ))}
      </div>
      <QueryState query={offers} label="your offers">
        {(o) =>
          o.data.length === 0 ? (
            <Text>
              No pending offers. Sway offers you perks that match your topics and score, at most five a week, and only
              while “Match me with perks” is on (in Privacy).
            </Text>
          ) : (
            o.data.map((offer) => (
              <OfferCard key={offer.id} offer={offer} now={now} onClaimed={(t) => setClaimed((c) => [...c, t])} />
            ))
          )
        }
      </QueryState>
    </Stack>
  );
}
