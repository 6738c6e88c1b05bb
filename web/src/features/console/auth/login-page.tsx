import { Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useBrandSignIn } from '../../../shared/brand-session';
import { ProblemAlert } from '../../../shared/ui/problem-alert';

export function ConsoleLoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const signIn = useBrandSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Only a console path on this site: anything else would be an open redirect.
  const next = params.get('next');
  const target = next && /^\/console(\/[\w/-]*)?$/.test(next) ? next : '/console';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(target) });
  };
  return (
    <Stack>
      <Title order={1}>Sign in to the brand console</Title>
      <form onSubmit={submit} aria-label="Sign in">
        <Stack gap="sm">
          <TextInput
            label="Email"
            type="email"
            required
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <TextInput
            type="password"
            label="Password"
            required
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <ProblemAlert error={signIn.error} title="Not signed in" />
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        New brand?{' '}
        <Anchor underline="always" component={Link} to="/console/signup">
          Create your brand
        </Anchor>
        . Invited by a teammate? Open the link in your invitation.
      </Text>
    </Stack>
  );
}
