import { Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useBrandSignUp } from '../../../shared/brand-session';
import { ProblemAlert } from '../../../shared/ui/problem-alert';

export function SignupPage() {
  const navigate = useNavigate();
  const signUp = useBrandSignUp();
  const [brandName, setBrandName] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signUp.mutate(
      { brandName, email, password, ...(name ? { name } : {}) },
      { onSuccess: () => void navigate('/console') },
    );
  };
  return (
    <Stack>
      <Title order={1}>Create your brand on Sway</Title>
      <Text>
        You become the brand’s owner. You can invite teammates, agencies and your finance team afterwards, each with
        their own role.
      </Text>
      <form onSubmit={submit} aria-label="Create brand">
        <Stack gap="sm">
          <TextInput
            label="Brand name"
            required
            value={brandName}
            onChange={(e) => setBrandName(e.currentTarget.value)}
          />
          <TextInput
            label="Your name"
            description="Optional; teammates see it in the team list and the audit log."
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
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
            description="At least 10 characters."
            required
            minLength={10}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <ProblemAlert error={signUp.error} title="Brand not created" />
          <Button type="submit" loading={signUp.isPending}>
            Create brand
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        Already on Sway?{' '}
        <Anchor underline="always" component={Link} to="/console/login">
          Sign in to the console
        </Anchor>
      </Text>
    </Stack>
  );
}
