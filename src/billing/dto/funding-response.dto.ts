import { ApiProperty } from '@nestjs/swagger';
import { CampaignResponseDto } from '../../campaigns/dto/campaign-response.dto';
import type { FundingRow, LedgerTotals } from '../billing.repository';
import type { FundingMethod, FundingStatus } from '../entities/funding.entity';

export class CheckoutResponseDto {
  @ApiProperty({ example: 'https://checkout.stripe.com/c/pay/cs_test_…' }) checkoutUrl!: string;
  @ApiProperty({ example: 'cs_test_…' }) checkoutSessionId!: string;
  @ApiProperty({ description: 'inventory × unitCostCents + platform fee', example: 198000 }) amountCents!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ example: 180000 }) perkCents!: number;
  @ApiProperty({ example: 18000 }) platformFeeCents!: number;
  @ApiProperty({ format: 'uuid' }) fundingId!: string;

  static fromRow(f: FundingRow): CheckoutResponseDto {
    return {
      checkoutUrl: f.checkoutUrl ?? '',
      checkoutSessionId: f.stripeCheckoutSessionId ?? '',
      amountCents: f.amountCents,
      currency: f.currency,
      perkCents: f.perkCents,
      platformFeeCents: f.feeCents,
      fundingId: f.id,
    };
  }
}

export class FundingResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['checkout', 'offline'] }) method!: FundingMethod;
  @ApiProperty({
    enum: ['open', 'paid', 'rejected', 'expired', 'failed'],
    description: 'rejected: paid after the campaign could no longer take it, and refunded in full',
  })
  status!: FundingStatus;
  @ApiProperty() amountCents!: number;
  @ApiProperty() perkCents!: number;
  @ApiProperty() platformFeeCents!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: String, nullable: true }) checkoutSessionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) paidAt!: string | null;

  static fromRow(f: FundingRow): FundingResponseDto {
    return {
      id: f.id,
      method: f.method,
      status: f.status,
      amountCents: f.amountCents,
      perkCents: f.perkCents,
      platformFeeCents: f.feeCents,
      currency: f.currency,
      checkoutSessionId: f.stripeCheckoutSessionId,
      reference: f.reference,
      createdAt: f.createdAt.toISOString(),
      paidAt: f.paidAt?.toISOString() ?? null,
    };
  }
}

export class OfflineFundingResponseDto {
  @ApiProperty({ type: FundingResponseDto }) funding!: FundingResponseDto;
  @ApiProperty({ type: CampaignResponseDto }) campaign!: CampaignResponseDto;
}

export class LedgerResponseDto {
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ description: 'Every payment received for the campaign' }) fundedCents!: number;
  @ApiProperty({ description: 'Claimed perks: claims × unitCostCents' }) spentCents!: number;
  @ApiProperty({ description: "Sway's fee on the claimed perks" }) platformFeeCents!: number;
  @ApiProperty({ description: 'Returned to the brand' }) refundedCents!: number;
  @ApiProperty({ description: 'fundedCents − spentCents − platformFeeCents − refundedCents' }) remainingCents!: number;
  @ApiProperty({ type: [FundingResponseDto] }) fundings!: FundingResponseDto[];

  static from(campaignId: string, currency: string, t: LedgerTotals, fundings: FundingRow[]): LedgerResponseDto {
    return {
      campaignId,
      currency,
      fundedCents: t.fundedCents,
      spentCents: t.spentCents,
      platformFeeCents: t.feesCents,
      refundedCents: t.refundedCents,
      remainingCents: t.fundedCents - t.spentCents - t.feesCents - t.refundedCents,
      fundings: fundings.map((f) => FundingResponseDto.fromRow(f)),
    };
  }
}

export class WebhookAckDto {
  @ApiProperty({ example: true }) received!: boolean;
}
