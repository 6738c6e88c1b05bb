import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentBrand, CurrentBrandId, PUBLIC } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { BrandPrincipal } from '../common/auth/principal';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { ApiProblems } from '../common/problem/problem.dto';
import { RateLimit } from '../common/rate-limit/rate-limit';
import { BrandsService } from './brands.service';
import {
  ApiKeyIdParamDto,
  ApiKeyListDto,
  BrandDto,
  CreateApiKeyRequestDto,
  CreateApiKeyResponseDto,
  CreateBrandRequestDto,
  CreateBrandResponseDto,
  LinkStripeAccountRequestDto,
  StripeConnectAuthorizeDto,
  AdminLinkStripeAccountRequestDto,
  BrandIdParamDto,
} from './dto/brand.dto';

@ApiTags('brands')
@Controller('v1/brands')
export class BrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Post()
  @Auth(PUBLIC)
  @RateLimit('auth')
  @Idempotent({ secretFields: ['apiKey'] })
  @ApiOperation({ summary: 'Sign a brand up; returns its first API key, shown once' })
  @ApiCreatedResponse({ type: CreateBrandResponseDto })
  @ApiProblems(400, 409, 429)
  signup(@Body() dto: CreateBrandRequestDto): Promise<CreateBrandResponseDto> {
    return this.brands.signup(dto);
  }

  @Get('me')
  @Can('brand.read')
  @Auth('brand')
  @ApiOperation({ summary: 'The calling brand' })
  @ApiOkResponse({ type: BrandDto })
  @ApiProblems(401, 403, 429)
  me(@CurrentBrandId() brandId: string): Promise<BrandDto> {
    return this.brands.get(brandId);
  }

  @Get('me/api-keys')
  @Can('keys.read')
  @Auth('brand')
  @ApiOperation({ summary: "The brand's API keys (never the secrets)" })
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiProblems(401, 403, 429)
  async listKeys(@CurrentBrandId() brandId: string): Promise<ApiKeyListDto> {
    return { data: await this.brands.listKeys(brandId) };
  }

  @Post('me/api-keys')
  @Can('keys.write')
  @Auth('brand')
  @Idempotent({ secretFields: ['apiKey'] })
  @ApiOperation({ summary: 'Create another API key (shown once)' })
  @ApiCreatedResponse({ type: CreateApiKeyResponseDto })
  @ApiProblems(401, 403, 409, 429)
  createKey(
    @CurrentBrand() caller: BrandPrincipal,
    @Body() dto: CreateApiKeyRequestDto,
  ): Promise<CreateApiKeyResponseDto> {
    return this.brands.createKey(caller, dto?.role);
  }

  @Get('me/stripe-account/authorize')
  @Can('brand.manage')
  @Auth('brand')
  @ApiOperation({
    summary: 'Start linking your Stripe account (Connect OAuth): the page where you approve Sway, and its state',
    description:
      'Open `url` signed in to your Stripe account and approve read-only access; Stripe redirects to the redirect ' +
      'URI registered for Sway’s platform with `code` and `state`; send both to POST /v1/brands/me/stripe-account. ' +
      'Not configured (no Stripe key or Connect client id) → 503.',
  })
  @ApiOkResponse({ type: StripeConnectAuthorizeDto })
  @ApiProblems(401, 403, 429, 503)
  stripeConnectAuthorization(@CurrentBrandId() brandId: string): StripeConnectAuthorizeDto {
    return this.brands.stripeConnectAuthorization(brandId);
  }

  @Post('me/stripe-account')
  @Can('brand.manage')
  @Auth('brand')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Link your Stripe account (Connect): its paid Checkout Sessions carrying a Sway click or code become conversions',
    description:
      'Proof of ownership: the `code` and `state` from the Connect OAuth redirect (GET …/stripe-account/authorize); ' +
      'Sway exchanges the code with Stripe and links the account that approved. A state not issued to this brand ' +
      'or expired, a code Stripe refuses (unknown, expired, used) or an `accountId` other than the approving ' +
      'account → 422. An account linked to another brand → 409. Linking again replaces the previous account. ' +
      'Stripe unreachable → 503 (retry with the same code).',
  })
  @ApiOkResponse({ type: BrandDto })
  @ApiProblems(400, 401, 403, 409, 422, 429, 503)
  linkStripeAccount(@CurrentBrandId() brandId: string, @Body() dto: LinkStripeAccountRequestDto): Promise<BrandDto> {
    return this.brands.linkStripeAccount(brandId, dto);
  }

  @Delete('me/api-keys/:keyId')
  @Can('keys.write')
  @Auth('brand')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key; it answers 401 from the next request on' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 409, 429)
  revokeKey(@CurrentBrand() caller: BrandPrincipal, @Param() params: ApiKeyIdParamDto): Promise<void> {
    return this.brands.revokeKey(caller, params.keyId);
  }
}

@ApiTags('brands')
@Controller('v1/admin/brands')
export class AdminBrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Put(':id/stripe-account')
  @Auth('admin')
  @ApiOperation({
    summary: 'Operator: link a brand’s Stripe account whose ownership was checked outside Sway',
    description:
      'For accounts the operator verified itself (like offline funding); brands link through Connect OAuth. ' +
      'Unknown brand → 404, account linked to another brand → 409.',
  })
  @ApiOkResponse({ type: BrandDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  linkStripeAccount(@Param() p: BrandIdParamDto, @Body() dto: AdminLinkStripeAccountRequestDto): Promise<BrandDto> {
    return this.brands.adminLinkStripeAccount(p.id, dto.accountId);
  }
}
