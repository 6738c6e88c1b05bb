import { Group, Radio, Stack, Text } from '@mantine/core';

export type Mode = 'instant' | 'daily' | 'off';
export type PreferenceKey = 'offers' | 'offerExpiring' | 'fulfilment' | 'contests';
export type Prefs = Partial<Record<PreferenceKey, Mode>>;

/** The four optional kinds in the member's words; security notices are not here because they always go out. */
const PREFERENCES: { key: PreferenceKey; label: string; description: string }[] = [
  { key: 'offers', label: 'New offers', description: 'A brand offers you a perk.' },
  { key: 'offerExpiring', label: 'Offers about to expire', description: 'One reminder, 12 hours before.' },
  { key: 'fulfilment', label: 'Perk shipped or redeemed', description: 'With the tracking number when there is one.' },
  { key: 'contests', label: 'Contest answers', description: 'When a contest of your score is answered.' },
];

const MODES: { value: Mode; label: string }[] = [
  { value: 'instant', label: 'Right away' },
  { value: 'daily', label: 'Daily digest' },
  { value: 'off', label: 'Off' },
];

/**
 * One radio group per kind. At sign-up nothing is selected (unanswered means off): the member picks, Sway never
 * picks for them.
 */
export function NotificationPreferenceFields({
  value,
  onChange,
  disabled,
}: {
  value: Prefs;
  onChange: (key: PreferenceKey, mode: Mode) => void;
  disabled?: boolean;
}) {
  return (
    <Stack gap="xs">
      {PREFERENCES.map((p) => (
        <Radio.Group
          key={p.key}
          label={p.label}
          description={p.description}
          value={value[p.key] ?? null}
          onChange={(v) => onChange(p.key, v)}
        >
          <Group gap="md" mt={4}>
            {MODES.map((m) => (
              <Radio key={m.value} value={m.value} label={m.label} disabled={disabled} />
            ))}
          </Group>
        </Radio.Group>
      ))}
      <Text size="xs" c="gray.7">
        Security notices (a sign-in from a new device, a passkey added, a change to your consents or accounts, a
        deletion request) are always sent. Every mail has a one-click unsubscribe link.
      </Text>
    </Stack>
  );
}
