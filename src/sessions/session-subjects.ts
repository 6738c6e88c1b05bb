import type { Principal } from '../common/auth/principal';
import type { SessionKind } from './entities/session.entity';

/**
 * Who can hold a browser session. Each kind (members now; brand users when the console lands) registers one, so
 * the sessions context never reads another context's tables: it asks the owner to check passwords and liveness.
 */
export interface SessionSubjects {
  readonly kind: SessionKind;
  /** The subject's id when the credentials are right, else null (same answer for unknown emails). */
  authenticate(email: string, password: string): Promise<string | null>;
  /** The principal this session acts as, or null once the subject is gone (erased, disabled). */
  principal(subjectId: string, sessionId: string): Promise<Principal | null>;
  /** The subject's id when `p` is one of this kind's principals. */
  subjectOf(p: Principal): string | null;
  /** Extra fields of `GET /v1/session` (e.g. `member`; brand users: `user`, `brand`, `brands`). */
  describe(subjectId: string, sessionId: string): Promise<Record<string, unknown>>;
  /**
   * Called once a session exists (brand users: its workspace, and whether a second factor is still owed); the
   * answer's fields join the sign-in response (`secondFactorRequired`).
   */
  started?(subjectId: string, sessionId: string, opts: { secondFactor: boolean }): Promise<Record<string, unknown>>;
}
