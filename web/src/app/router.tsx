import { createBrowserRouter } from 'react-router';
import { ConsoleLayout, ConsolePublicLayout } from './console-layout';
import { MemberLayout, PublicLayout } from './layouts';
import { NotFoundPage } from './not-found';

/** Paths are fixed by ../shared/web.md. Feature pages load on demand so the first load stays small. */
export const router = createBrowserRouter([
  {
    element: <PublicLayout />,
    children: [
      { path: '/', lazy: async () => ({ Component: (await import('./landing')).LandingPage }) },
      {
        path: '/join',
        lazy: async () => ({ Component: (await import('../features/member/join/join-page')).JoinPage }),
      },
      {
        path: '/login',
        lazy: async () => ({ Component: (await import('../features/member/login/login-page')).LoginPage }),
      },
    ],
  },
  {
    path: '/me',
    element: <MemberLayout />,
    children: [
      { index: true, lazy: async () => ({ Component: (await import('../features/member/home/home-page')).HomePage }) },
      {
        path: 'score',
        lazy: async () => ({ Component: (await import('../features/member/score/score-page')).ScorePage }),
      },
      {
        path: 'offers',
        lazy: async () => ({ Component: (await import('../features/member/offers/offers-page')).OffersPage }),
      },
      {
        path: 'perks',
        lazy: async () => ({ Component: (await import('../features/member/perks/perks-page')).PerksPage }),
      },
      {
        path: 'notifications',
        lazy: async () => ({
          Component: (await import('../features/member/notifications/notifications-page')).NotificationsPage,
        }),
      },
      {
        path: 'privacy',
        lazy: async () => ({ Component: (await import('../features/member/privacy/privacy-page')).PrivacyPage }),
      },
    ],
  },
  {
    path: '/console',
    element: <ConsolePublicLayout />,
    children: [
      {
        path: 'signup',
        lazy: async () => ({ Component: (await import('../features/console/auth/signup-page')).SignupPage }),
      },
      {
        path: 'login',
        lazy: async () => ({ Component: (await import('../features/console/auth/login-page')).ConsoleLoginPage }),
      },
      {
        path: 'invitations/:token',
        lazy: async () => ({ Component: (await import('../features/console/auth/accept-page')).AcceptInvitationPage }),
      },
    ],
  },
  {
    path: '/console',
    element: <ConsoleLayout />,
    children: [
      {
        index: true,
        lazy: async () => ({
          Component: (await import('../features/console/campaigns/campaigns-page')).CampaignsPage,
        }),
      },
      {
        path: 'campaigns/new',
        lazy: async () => ({
          Component: (await import('../features/console/campaigns/new-campaign-page')).NewCampaignPage,
        }),
      },
      {
        path: 'campaigns/:id',
        lazy: async () => ({ Component: (await import('../features/console/campaigns/campaign-page')).CampaignPage }),
        children: [
          {
            index: true,
            lazy: async () => ({
              Component: (await import('../features/console/campaigns/campaign-page')).CampaignIndex,
            }),
          },
          {
            path: 'report',
            lazy: async () => ({ Component: (await import('../features/console/reports/report-tab')).ReportTab }),
          },
          {
            path: 'claims',
            lazy: async () => ({ Component: (await import('../features/console/claims/claims-tab')).ClaimsTab }),
          },
          {
            path: 'offers',
            lazy: async () => ({ Component: (await import('../features/console/campaigns/offers-tab')).OffersTab }),
          },
        ],
      },
      {
        path: 'team',
        lazy: async () => ({ Component: (await import('../features/console/team/team-page')).TeamPage }),
      },
      {
        path: 'keys',
        lazy: async () => ({ Component: (await import('../features/console/keys/keys-page')).KeysPage }),
      },
      {
        path: 'webhooks',
        lazy: async () => ({ Component: (await import('../features/console/webhooks/webhooks-page')).WebhooksPage }),
      },
      {
        path: 'audit-log',
        lazy: async () => ({ Component: (await import('../features/console/audit/audit-page')).AuditPage }),
      },
    ],
  },
  {
    path: '/admin',
    lazy: async () => ({ Component: (await import('../features/admin/admin-page')).AdminPage }),
  },
  { path: '*', element: <PublicLayout />, children: [{ path: '*', element: <NotFoundPage /> }] },
]);
