import type { Role } from '@iescp/shared';
import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router';
import { useAuthStore } from '@/stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** Roles that may open the route; absent means public. The server still decides. */
    roles?: readonly Role[];
    /** Only for signed-out visitors (login, sign-up); signed-in people go to their dashboard. */
    guestOnly?: boolean;
    /** Document title. */
    title?: string;
  }
}

const ANY_USER: readonly Role[] = ['admin', 'sponsor', 'influencer'];
const SPONSOR: readonly Role[] = ['sponsor'];
const SPONSOR_OR_ADMIN: readonly Role[] = ['sponsor', 'admin'];
const INFLUENCER: readonly Role[] = ['influencer'];
const PARTIES: readonly Role[] = ['sponsor', 'influencer'];

export const router = createRouter({
  history: createWebHistory(),
  scrollBehavior: (to, _from, saved) => saved ?? (to.hash ? { el: to.hash } : { top: 0 }),
  routes: [
    { path: '/', name: 'landing', component: () => import('@/views/LandingView.vue') },
    {
      path: '/login',
      name: 'login',
      component: () => import('@/views/auth/LoginView.vue'),
      meta: { guestOnly: true, title: 'Log in' },
    },
    {
      path: '/signup',
      name: 'signup',
      component: () => import('@/views/auth/SignupView.vue'),
      meta: { guestOnly: true, title: 'Create your account' },
    },
    {
      path: '/dashboard',
      name: 'dashboard',
      component: () => import('@/views/DashboardView.vue'),
      meta: { roles: ANY_USER, title: 'Dashboard' },
    },
    {
      path: '/profile',
      name: 'profile',
      component: () => import('@/views/account/ProfileView.vue'),
      meta: { roles: ANY_USER, title: 'Your profile' },
    },
    {
      path: '/admin/users',
      name: 'admin-users',
      component: () => import('@/views/admin/AdminUsersView.vue'),
      meta: { roles: ['admin'], title: 'Users' },
    },
    {
      path: '/admin/outbox',
      name: 'admin-outbox',
      component: () => import('@/views/admin/AdminOutboxView.vue'),
      meta: { roles: ['admin'], title: 'Outbox' },
    },
    {
      path: '/admin/jobs',
      name: 'admin-jobs',
      component: () => import('@/views/admin/AdminJobsView.vue'),
      meta: { roles: ['admin'], title: 'Jobs' },
    },
    {
      path: '/admin/audit-log',
      name: 'admin-audit-log',
      component: () => import('@/views/admin/AdminAuditLogView.vue'),
      meta: { roles: ['admin'], title: 'Audit log' },
    },
    {
      path: '/admin/reviews',
      name: 'admin-reviews',
      component: () => import('@/views/admin/AdminReviewsView.vue'),
      meta: { roles: ['admin'], title: 'Reviews' },
    },
    {
      path: '/admin/outbox/:id',
      name: 'admin-outbox-mail',
      component: () => import('@/views/admin/AdminOutboxMailView.vue'),
      meta: { roles: ['admin'], title: 'Mail' },
    },
    {
      path: '/campaigns/mine',
      name: 'campaigns-mine',
      component: () => import('@/views/campaigns/MyCampaignsView.vue'),
      meta: { roles: SPONSOR, title: 'My campaigns' },
    },
    {
      path: '/campaigns/new',
      name: 'campaign-new',
      component: () => import('@/views/campaigns/CampaignFormView.vue'),
      meta: { roles: SPONSOR, title: 'New campaign' },
    },
    {
      path: '/campaigns/:id/edit',
      name: 'campaign-edit',
      component: () => import('@/views/campaigns/CampaignFormView.vue'),
      meta: { roles: SPONSOR, title: 'Edit campaign' },
    },
    {
      path: '/campaigns/:id',
      name: 'campaign-detail',
      component: () => import('@/views/campaigns/CampaignDetailView.vue'),
      meta: { roles: ANY_USER, title: 'Campaign' },
    },
    {
      path: '/discover',
      name: 'discover',
      component: () => import('@/views/campaigns/DiscoverView.vue'),
      meta: { roles: ANY_USER, title: 'Discover campaigns' },
    },
    {
      path: '/influencers',
      name: 'influencers',
      component: () => import('@/views/directory/FindInfluencersView.vue'),
      meta: { roles: SPONSOR_OR_ADMIN, title: 'Find influencers' },
    },
    {
      path: '/influencers/:id',
      name: 'influencer-profile',
      component: () => import('@/views/directory/InfluencerProfileView.vue'),
      meta: { roles: ANY_USER, title: 'Creator profile' },
    },
    {
      path: '/sponsors/:id',
      name: 'sponsor-profile',
      component: () => import('@/views/directory/SponsorProfileView.vue'),
      meta: { roles: ANY_USER, title: 'Brand profile' },
    },
    {
      path: '/deals',
      name: 'deals',
      alias: '/ad-requests',
      component: () => import('@/views/adRequests/AdRequestInboxView.vue'),
      meta: { roles: ANY_USER, title: 'Deals' },
    },
    {
      path: '/ad-requests/:id',
      name: 'deal-detail',
      component: () => import('@/views/adRequests/AdRequestDetailView.vue'),
      meta: { roles: ANY_USER, title: 'Deal' },
    },
    {
      path: '/earnings',
      name: 'earnings',
      component: () => import('@/views/ledger/EarningsView.vue'),
      meta: { roles: INFLUENCER, title: 'Earnings' },
    },
    {
      path: '/payments',
      name: 'payments',
      component: () => import('@/views/ledger/PaymentsView.vue'),
      meta: { roles: SPONSOR, title: 'Payments' },
    },
    {
      path: '/messages/:id?',
      name: 'messages',
      component: () => import('@/views/messages/MessagesView.vue'),
      meta: { roles: PARTIES, title: 'Messages' },
    },
    {
      path: '/notifications',
      name: 'notifications',
      component: () => import('@/views/notifications/NotificationsView.vue'),
      meta: { roles: ANY_USER, title: 'Notifications' },
    },
    {
      // The page a mail's "Unsubscribe" link opens: public, and it changes nothing until asked.
      path: '/unsubscribe',
      name: 'unsubscribe',
      component: () => import('@/views/account/UnsubscribeView.vue'),
      meta: { title: 'Unsubscribe' },
    },
    {
      path: '/:pathMatch(.*)*',
      name: 'not-found',
      component: () => import('@/views/NotFoundView.vue'),
      meta: { title: 'Page not found' },
    },
  ],
});

/** The one guard: waits for the session, then applies `meta.roles` and `meta.guestOnly`. */
router.beforeEach(async (to): Promise<RouteLocationRaw | true> => {
  const auth = useAuthStore();
  await auth.init();

  if (to.meta.guestOnly && auth.isAuthenticated) return { name: 'dashboard' };

  const roles = to.meta.roles;
  if (roles) {
    if (!auth.isAuthenticated) return { name: 'login', query: { redirect: to.fullPath } };
    if (!auth.role || !roles.includes(auth.role)) return { name: 'dashboard' };
  }
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title
    ? `${to.meta.title} · IESCP`
    : 'IESCP — where brands and creators make campaigns happen';
});
