import { Navigate, createBrowserRouter } from 'react-router';
import { MemberLayout, PublicLayout } from './layouts';
import { NotFoundPage } from './not-found';

/** Paths are fixed by ../shared/web.md. Feature pages load on demand so the first load stays small. */
export const router = createBrowserRouter([
  {
    element: <PublicLayout />,
    children: [
      { path: '/', element: <Navigate to="/me" replace /> },
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
        path: 'privacy',
        lazy: async () => ({ Component: (await import('../features/member/privacy/privacy-page')).PrivacyPage }),
      },
    ],
  },
  {
    path: '/admin',
    lazy: async () => ({ Component: (await import('../features/admin/admin-page')).AdminPage }),
  },
  { path: '*', element: <PublicLayout />, children: [{ path: '*', element: <NotFoundPage /> }] },
]);
