import { AppException } from '../common/problem/app.exception';

export class ConnectorAccountNotFound extends AppException {
  constructor() {
    super('not_found', 'Social account not found');
  }
}

export class AccountLinkedElsewhere extends AppException {
  constructor() {
    super('conflict', 'This account is already linked to a Sway member');
  }
}

export class HandleNotFound extends AppException {
  constructor(network: string) {
    super('unprocessable', `The ${network} handle does not resolve to an account`, [
      { field: 'handle', message: 'not found on the network' },
    ]);
  }
}

export class CodeNotFound extends AppException {
  constructor() {
    super('unprocessable', 'The verification code was not found in the profile description; add it and try again');
  }
}

export class NetworkUnavailable extends AppException {
  constructor(network: string) {
    super('unavailable', `${network} did not answer; try again in a moment`, undefined, { 'retry-after': '30' });
  }
}

/** The member chose the host: an address Sway will not call is their input's problem, not an outage. */
export class InstanceAddressRefused extends AppException {
  constructor() {
    super('unprocessable', 'The Mastodon instance does not resolve to a public internet address', [
      { field: 'account', message: 'the instance must be reachable on the public internet' },
    ]);
  }
}
