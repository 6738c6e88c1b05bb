import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';

export class OfflineFundingRequestDto {
  @ApiProperty({
    description: 'Must equal inventory × unitCostCents + platform fee (what a checkout would charge); 0 for free perks',
    example: 198000,
  })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountCents!: number;

  @ApiProperty({ description: 'Invoice or transfer reference', example: 'INV-2030-0042', maxLength: 200 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 200)
  reference!: string;
}
