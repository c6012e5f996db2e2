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
