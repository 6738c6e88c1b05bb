import { Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { ProblemAlert } from '../ui/problem-alert';

export type Address = Schemas['ShippingAddressDto'];

/** The shipping address (inline on a product claim, and in Privacy). Saved on the profile via PATCH /v1/me. */
export function AddressForm({
  initial,
  onSaved,
  submitLabel = 'Save address',
}: {
  initial: Address | null;
  onSaved?: (a: Address) => void;
  submitLabel?: string;
}) {
  const qc = useQueryClient();
  const [a, setA] = useState<Address>(
    initial ?? { name: '', line1: '', line2: '', city: '', region: '', postalCode: '', country: '' },
  );
  const save = useMutation({
    mutationFn: (addr: Address) => {
      // Optional fields left empty are omitted rather than stored as "".
      const body = Object.fromEntries(Object.entries(addr).filter(([, v]) => v !== '' && v != null)) as Address;
      body.country = body.country.toUpperCase();
      return call(api.PATCH('/v1/me', { body: { shippingAddress: body } }));
    },
    onSuccess: (_, addr) => {
      void qc.invalidateQueries({ queryKey: ['me'] });
      onSaved?.(addr);
    },
  });
  const set = (k: keyof Address) => (e: { currentTarget: HTMLInputElement }) =>
    setA({ ...a, [k]: e.currentTarget.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(a);
  };
  return (
    <form onSubmit={submit} aria-label="Shipping address">
      <Stack gap="sm">
        <TextInput label="Name on the parcel" value={a.name ?? ''} onChange={set('name')} autoComplete="name" />
        <TextInput
          label="Address line 1"
          required
          value={a.line1}
          onChange={set('line1')}
          autoComplete="address-line1"
        />
        <TextInput label="Address line 2" value={a.line2 ?? ''} onChange={set('line2')} autoComplete="address-line2" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="City" required value={a.city} onChange={set('city')} autoComplete="address-level2" />
          <TextInput label="Region" value={a.region ?? ''} onChange={set('region')} autoComplete="address-level1" />
          <TextInput
            label="Postal code"
            required
            value={a.postalCode}
            onChange={set('postalCode')}
            autoComplete="postal-code"
          />
          <TextInput
            label="Country"
            description="Two-letter code, e.g. US"
            required
            maxLength={2}
            value={a.country}
            onChange={set('country')}
            autoComplete="country"
          />
        </SimpleGrid>
        <ProblemAlert error={save.error} title="Address not saved" />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
