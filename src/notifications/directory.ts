import { Injectable } from '@nestjs/common';

export interface MemberContact {
  email: string;
  language?: string | null;
}

/**
 * Where mail goes, asked at send time (never stored here): the owning contexts register a lookup, so this context
 * imports none of them and every producer can import it. An erased member answers null.
 */
@Injectable()
export class NotificationDirectory {
  private memberLookup: ((id: string) => Promise<MemberContact | null>) | null = null;
  private brandLookup: ((id: string) => Promise<string[]>) | null = null;

  registerMembers(fn: (id: string) => Promise<MemberContact | null>): void {
    this.memberLookup = fn;
  }

  /**
   * The addresses of the people who act for a brand. Until brand teams exist this is the brand account's email;
   * the teams context replaces it with `teams.brand_recipients`.
   */
  registerBrands(fn: (id: string) => Promise<string[]>): void {
    this.brandLookup = fn;
  }

  async member(id: string): Promise<MemberContact | null> {
    return this.memberLookup ? this.memberLookup(id) : null;
  }

  async brand(id: string): Promise<string[]> {
    return this.brandLookup ? this.brandLookup(id) : [];
  }
}
