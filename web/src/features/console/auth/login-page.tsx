import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useBrandSignIn } from '../../../shared/brand-session';
import { SignInForm } from '../../../shared/ui/sign-in-form';

export function ConsoleLoginPage() {
  const signIn = useBrandSignIn();
  return (
    <Stack>
      <Title order={1}>Sign in to the brand console</Title>
      <SignInForm signIn={signIn} home="/console" allowedNext={/^\/console(\/[\w/-]*)?$/} />
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
