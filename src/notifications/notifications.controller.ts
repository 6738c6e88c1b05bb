import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Auth, CurrentBrand, CurrentInfluencerId, PUBLIC } from '../common/auth/auth.decorators';
import type { BrandPrincipal } from '../common/auth/principal';
import { Can } from '../common/auth/permissions';
import { AppException } from '../common/problem/app.exception';
import { ApiProblems } from '../common/problem/problem.dto';
import { RateLimit } from '../common/rate-limit/rate-limit';
import {
  MarkReadRequestDto,
  NotificationListDto,
  NotificationListQueryDto,
  NotificationPreferencesDto,
  NotificationPreferencesResponseDto,
  UnsubscribeResponseDto,
} from './dto/notifications.dto';
import { NotificationsService } from './notifications.service';

export class UnsubscribeTokenParamDto {
  @IsString()
  @Length(10, 200)
  token!: string;
}

/** The in-app list is for people: a brand user's session, not an API key. */
function brandUser(p: BrandPrincipal): string {
  if (!p.userId) throw new AppException('forbidden', 'Notifications are read by brand users in a browser session');
  return p.brandId;
}

const escapeAttr = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

@ApiTags('notifications')
@Controller('v1')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('me/notification-preferences')
  @Auth('influencer')
  @ApiOperation({ summary: 'Your notification preferences (unanswered means off)' })
  @ApiOkResponse({ type: NotificationPreferencesResponseDto })
  @ApiProblems(401, 403, 429)
  preferences(@CurrentInfluencerId() id: string): Promise<NotificationPreferencesResponseDto> {
    return this.notifications.preferences(id);
  }

  @Put('me/notification-preferences')
  @Auth('influencer')
  @ApiOperation({ summary: 'Change any of your notification preferences' })
  @ApiOkResponse({ type: NotificationPreferencesResponseDto })
  @ApiProblems(400, 401, 403, 429)
  setPreferences(
    @CurrentInfluencerId() id: string,
    @Body() dto: NotificationPreferencesDto,
  ): Promise<NotificationPreferencesResponseDto> {
    return this.notifications.setPreferences(id, dto);
  }

  @Get('me/notifications')
  @Auth('influencer')
  @ApiOperation({ summary: 'Your notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationListDto })
  @ApiProblems(400, 401, 403, 429)
  list(@CurrentInfluencerId() id: string, @Query() q: NotificationListQueryDto): Promise<NotificationListDto> {
    return this.notifications.list('member', id, q);
  }

  @Post('me/notifications/read')
  @Auth('influencer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark notifications read (all of them when `ids` is absent)' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 429)
  async markRead(@CurrentInfluencerId() id: string, @Body() dto: MarkReadRequestDto): Promise<void> {
    await this.notifications.markRead('member', id, dto.ids);
  }

  @Get('users/me/notifications')
  @Auth('brand')
  @Can('brand.read')
  @ApiOperation({
    summary: 'Your brand’s notifications (brand users, browser session); read state is shared by the team',
  })
  @ApiOkResponse({ type: NotificationListDto })
  @ApiProblems(400, 401, 403, 429)
  brandList(@CurrentBrand() p: BrandPrincipal, @Query() q: NotificationListQueryDto): Promise<NotificationListDto> {
    return this.notifications.list('brand', brandUser(p), q);
  }

  @Post('users/me/notifications/read')
  @Auth('brand')
  @Can('brand.read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark your brand’s notifications read (all of them when `ids` is absent)' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 429)
  async brandMarkRead(@CurrentBrand() p: BrandPrincipal, @Body() dto: MarkReadRequestDto): Promise<void> {
    await this.notifications.markRead('brand', brandUser(p), dto.ids);
  }

  /** RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` (form body); no sign-in, no cookie. */
  @Post('unsubscribe/:token')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'One-click unsubscribe (RFC 8058): that kind of mail stops' })
  @ApiOkResponse({ type: UnsubscribeResponseDto })
  @ApiProblems(404, 429)
  unsubscribe(@Param() p: UnsubscribeTokenParamDto): Promise<UnsubscribeResponseDto> {
    return this.notifications.unsubscribe(p.token);
  }

  /** The link in the mail body: a GET only shows a button, so link scanners unsubscribe nobody. */
  @Get('unsubscribe/:token')
  @Auth(PUBLIC)
  @RateLimit('auth')
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'A page with the unsubscribe button (does not unsubscribe by itself)' })
  @ApiProduces('text/html')
  @ApiProblems(429)
  page(@Param() p: UnsubscribeTokenParamDto, @Req() req: { url: string }): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title></head><body>
<main><h1>Stop this kind of mail from Sway?</h1>
<form method="post" action="${escapeAttr(req.url)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form><p>${escapeAttr('You can change every setting in Privacy.')}</p></main>
</body></html>`;
  }
}
