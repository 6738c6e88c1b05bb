import { Alert, Anchor, Button, Checkbox, List, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ProblemError, api, call } from '../../../api/client';
import { COUNTRIES } from '../../../shared/countries';
import { useSignIn } from '../../../shared/session';
import { NotificationPreferenceFields, type Prefs } from '../../../shared/forms/notification-preferences';
import { ProblemAlert } from '../../../shared/ui/problem-alert';

/** Sign-up: the purposes come first in plain words; both consents start off; the birth date is checked, not kept. */
export function JoinPage() {
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [f, setF] = useState({ email: '', password: '', displayName: '', dateOfBirth: '', country: 'US' });
  const [matching, setMatching] = useState(false);
  const [share, setShare] = useState(false);
  const [prefs, setPrefs] = useState<Prefs>({});
  const join = useMutation({
    mutationFn: async () => {
      await call(
        api.POST('/v1/influencers', {
          body: { ...f, consents: { matching, shareStatsWithBrands: share }, notifications: prefs },
        }),
      );
      await signIn.mutateAsync({ email: f.email, password: f.password });
    },
    onSuccess: () => void navigate('/me'),
  });
  const underAge = join.error instanceof ProblemError && join.error.status === 422;
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [k]: e.currentTarget.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    join.mutate();
  };
  return (
    <Stack>
      <Title order={1}>Join Sway</Title>
      <section aria-labelledby="purposes">
        <Title order={2} size="h4" id="purposes">
          What Sway does with your data
        </Title>
        <List size="sm" spacing={4} mt="xs">
          <List.Item>
            <b>Match me with perks</b>: Sway reads the public activity of the social accounts you link, works out a
            score per topic, and offers you free perks from brands that fit. Perks never oblige you to post.
          </List.Item>
          <List.Item>
            <b>Share my stats with brands</b>: brands whose perks you claim see your display name, handles and scores.
            Without it they only see a pseudonym.
          </List.Item>
          <List.Item>You can change both at any time, download everything Sway has about you, or delete it.</List.Item>
        </List>
      </section>
      {underAge ? (
        <Alert color="blue" title="Sway is for adults" role="alert">
          Sorry — you need to be 18 or older to join. We have not kept anything you typed, not even your email. You are
          welcome back when you turn 18.
        </Alert>
      ) : (
        <form onSubmit={submit} aria-label="Create your account">
          <Stack gap="sm">
            <TextInput
              label="Email"
              type="email"
              required
              autoComplete="email"
              value={f.email}
              onChange={set('email')}
            />
            <TextInput
              type="password"
              label="Password"
              description="At least 10 characters"
              required
              minLength={10}
              autoComplete="new-password"
              value={f.password}
              onChange={set('password')}
            />
            <TextInput
              label="Display name"
              required
              autoComplete="nickname"
              value={f.displayName}
              onChange={set('displayName')}
            />
            <TextInput
              label="Date of birth"
              type="date"
              required
              description="Only to check that you are 18 or older. Sway does not keep your birth date — only that you were checked."
              value={f.dateOfBirth}
              onChange={set('dateOfBirth')}
            />
            <NativeSelect label="Country" required data={COUNTRIES} value={f.country} onChange={set('country')} />
            <Checkbox
              label="Match me with perks"
              description="Off until you tick it."
              checked={matching}
              onChange={(e) => setMatching(e.currentTarget.checked)}
            />
            <Checkbox
              label="Share my stats with brands"
              description="Off until you tick it."
              checked={share}
              onChange={(e) => setShare(e.currentTarget.checked)}
            />
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend>
                <Text fw={600}>Notifications by mail</Text>
                <Text size="sm">Nothing is chosen for you: what you leave unanswered stays off.</Text>
              </legend>
              <NotificationPreferenceFields value={prefs} onChange={(k, v) => setPrefs({ ...prefs, [k]: v })} />
            </fieldset>
            <ProblemAlert error={join.error} title="Account not created" />
            <Button type="submit" loading={join.isPending}>
              Create account
            </Button>
          </Stack>
        </form>
      )}
      <Text size="sm">
        Already a member?{' '}
        <Anchor component={Link} to="/login">
          Sign in
        </Anchor>
      </Text>
    </Stack>
  );
}
