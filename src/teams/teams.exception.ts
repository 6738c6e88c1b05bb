import { AppException } from '../common/problem/app.exception';

export class UserEmailTaken extends AppException {
  constructor() {
    super('conflict', 'An account with this email already exists; sign in, or ask to be invited');
  }
}

export class MemberNotFound extends AppException {
  constructor() {
    super('not_found', 'Member not found');
  }
}

export class LastOwner extends AppException {
  constructor() {
    super('conflict', 'A brand keeps at least one owner: make someone else owner first');
  }
}

export class RoleNotYours extends AppException {
  constructor(detail: string) {
    super('forbidden', detail);
  }
}

export class InvitationNotFound extends AppException {
  constructor() {
    super('not_found', 'Invitation not found');
  }
}

export class InvitationGone extends AppException {
  constructor(why: 'expired' | 'used') {
    super('gone', why === 'expired' ? 'This invitation has expired; ask for a new one' : 'This invitation was used');
  }
}

export class PasswordRequired extends AppException {
  constructor() {
    super('unprocessable', 'A password is needed to create your account', [
      { field: 'password', message: 'required for a new account' },
    ]);
  }
}

export class InvitationForAnotherAccount extends AppException {
  constructor() {
    super('forbidden', 'This invitation is for another email address; sign out first');
  }
}

export class SignInToAccept extends AppException {
  constructor() {
    super('unauthenticated', 'An account with this email exists: sign in (or give its password) to accept');
  }
}

export class ResetTokenInvalid extends AppException {
  constructor() {
    super('unprocessable', 'This reset link is invalid, used or expired; ask for a new one', [
      { field: 'token', message: 'invalid or expired' },
    ]);
  }
}

export class BrowserSessionOnly extends AppException {
  constructor() {
    super('forbidden', 'Only a browser session of a team member can do this (not an API key)');
  }
}

export class MailUnavailable extends AppException {
  constructor() {
    super('unavailable', 'The email could not be sent just now; try again in a moment', undefined, {
      'retry-after': '30',
    });
  }
}

export class PasskeyNeededFirst extends AppException {
  constructor() {
    super('unprocessable', 'Register a passkey yourself before requiring one for everyone', [
      { field: 'secondFactorRequired', message: 'you have no passkey yet' },
    ]);
  }
}
