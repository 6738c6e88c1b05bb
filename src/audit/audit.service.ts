import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { requestPrincipal } from '../common/auth/request-principal';
import { Page, decodeCursor, toPage } from '../common/pagination/pagination';
import { AuditEntryDto } from './dto/audit.dto';

export type AuditActor = { kind: 'user' | 'api_key'; id: string } | { kind: 'admin'; id: null };

export interface AuditRecord {
  brandId: string;
  /** `campaign.created`, `member.role_changed`, … (noun.verb, past tense). */
  action: string;
  target: { type: string; id: string };
  /** Changed fields only; never a member's personal data (use pseudonyms) nor a secret. */
  changes?: Record<string, unknown>;
  /** Defaults to whoever the current request acts as. */
  actor?: AuditActor;
}

/** Field names that would carry personal data or secrets: refused, so a careless caller fails in tests. */
const FORBIDDEN_FIELDS =
  /^(email|name|displayName|shippingAddress|address|phone|password|passwordHash|secret|apiKey|token|customerEmail)$/i;

function actorOf(p: Principal | undefined): AuditActor | null {
  if (!p) return null;
  if (p.kind === 'admin') return { kind: 'admin', id: null };
  if (p.kind === 'brand') {
    if (p.userId) return { kind: 'user', id: p.userId };
    if (p.apiKeyId) return { kind: 'api_key', id: p.apiKeyId };
  }
  return null;
}

const SHAPE = ['micros', 'uuid'] as const;

/**
 * The brand's audit log. Any context calls `record(m, …)` inside the transaction that makes the change, so an
 * entry exists exactly when the change does.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);

  constructor(private readonly dataSource: DataSource) {}

  async record(m: EntityManager, r: AuditRecord): Promise<void> {
    const actor = r.actor ?? actorOf(requestPrincipal());
    if (!actor) {
      // A change without a person or key behind it (a worker, a webhook) is the system's, not the team's.
      this.logger.debug(`audit: ${r.action} has no actor; not recorded`);
      return;
    }
    const bad = Object.keys(r.changes ?? {}).filter((k) => FORBIDDEN_FIELDS.test(k));
    if (bad.length) throw new Error(`audit log: fields ${bad.join(', ')} must not be recorded`);
    await m.query(
      `INSERT INTO audit.entries (brand_id, actor_kind, actor_id, action, target_type, target_id, changes)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        r.brandId,
        actor.kind,
        actor.id,
        r.action,
        r.target.type,
        r.target.id,
        r.changes ? JSON.stringify(r.changes) : null,
      ],
    );
  }

  async list(brandId: string, q: { limit?: number; cursor?: string }): Promise<Page<AuditEntryDto>> {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, SHAPE);
    type Row = {
      id: string;
      at: Date;
      micros: string;
      actorKind: AuditActor['kind'];
      actorId: string | null;
      actorName: string | null;
      action: string;
      targetType: string;
      targetId: string;
      changes: Record<string, unknown> | null;
    };
    // Names of people come from the team's published view, so they are current and vanish when a person leaves.
    const rows: Row[] = await this.dataSource.query(
      `SELECT e.id, e.at, (extract(epoch FROM e.at) * 1000000)::bigint::text AS micros,
              e.actor_kind AS "actorKind", e.actor_id AS "actorId", r.name AS "actorName",
              e.action, e.target_type AS "targetType", e.target_id AS "targetId", e.changes
         FROM audit.entries e
         LEFT JOIN teams.brand_recipients r
           ON e.actor_kind = 'user' AND r.brand_id = e.brand_id AND r.user_id = e.actor_id
        WHERE e.brand_id = $1
          AND ($2::bigint IS NULL OR ((extract(epoch FROM e.at) * 1000000)::bigint, e.id) < ($2::bigint, $3::uuid))
        ORDER BY e.at DESC, e.id DESC
        LIMIT $4`,
      [brandId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return toPage(
      rows,
      limit,
      (r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: { kind: r.actorKind, id: r.actorId, ...(r.actorName ? { name: r.actorName } : {}) },
        action: r.action,
        target: { type: r.targetType, id: r.targetId },
        ...(r.changes ? { changes: r.changes } : {}),
      }),
      (r) => [r.micros, r.id],
    );
  }
}
