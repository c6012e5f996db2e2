import '@fontsource-variable/inter';
import 'bootstrap/dist/css/bootstrap.min.css';
import 'bootstrap-icons/font/bootstrap-icons.css';
import './assets/theme.css';

import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import { configureSession } from './api/client';
import App from './App.vue';
import { router } from './router';
import { useAuthStore } from './stores/auth';
import { useMetaStore } from './stores/meta';
import { useInboxStore } from './stores/inbox';
import { useRealtimeStore } from './stores/realtime';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);

const auth = useAuthStore(pinia);
configureSession({
  getAccessToken: () => auth.accessToken,
  refresh: () => auth.refresh(),
  onAccountDeactivated: (message) => auth.endSession(message),
});

// When the session ends under a protected page (deactivated, refresh failed, logged out in
// another way), leave it for the login page instead of showing a page that cannot load.
watch(
  () => auth.isAuthenticated,
  (signedIn) => {
    const current = router.currentRoute.value;
    if (!signedIn && auth.initialized && current.meta.roles) {
      void router.replace({ name: 'login', query: { redirect: current.fullPath } });
    }
  },
);

// One socket per signed-in tab, for pushes (messages, notifications, deal changes) and the live
// unread counts.
const realtime = useRealtimeStore(pinia);
const inbox = useInboxStore(pinia);
watch(
  () => auth.isAuthenticated,
  (signedIn) => {
    if (signedIn) {
      realtime.start();
      inbox.start();
    } else {
      inbox.stop();
      realtime.stop();
    }
  },
  { immediate: true },
);

app.use(router);

/**
 * The first paint waits (briefly) for the text font: painted in a fallback font and swapped, the
 * landing page's headline re-wraps and everything below it jumps. A slow font still swaps in later.
 */
const FONT_WAIT_MS = 600;
const fontReady = Promise.race([
  document.fonts?.load("1em 'Inter Variable'", 'Aa') ?? Promise.resolve(),
  new Promise((resolve) => setTimeout(resolve, FONT_WAIT_MS)),
]).catch(() => undefined);
void fontReady.then(() => app.mount('#app'));
// Money is shown in the server's currency; until it answers, the shared default is used.
void useMetaStore(pinia).load();

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Installability is a nicety; the app works the same without the worker.
    });
  });
}
