import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '@/api/client';
import { isApiError } from '@/api/errors';
import { markRefresh, readHint, withRefreshLock, writeHint } from '@/api/sessionCoordination';
import type { AuthSession, ChangePasswordBody, LoginBody, SignupBody, UpdateMeBody, User } from '@/api/types';

/** The signed-in person. The access token lives here, in memory only. */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null);
  const accessToken = ref<string | null>(null);
  /** A message for the login page after the session was ended for the person. */
  const notice = ref<string | null>(null);
  const initialized = ref(false);

  const isAuthenticated = computed(() => user.value !== null && accessToken.value !== null);
  const role = computed(() => user.value?.role ?? null);
  const isPendingSponsor = computed(() => user.value?.role === 'sponsor' && user.value.status === 'pending_approval');
  /** Flagged by a moderator: may finish accepted deals, but the server refuses anything new (403 account_flagged). */
  const isFlagged = computed(() => user.value?.flagged === true);
  /**
   * Whether the session is known yet: 'unknown' until the first load's session check answers, so
   * the shell can stay neutral instead of showing guest links to a person who is signed in.
   */
  const status = computed<'unknown' | 'guest' | 'signed-in'>(() => {
    if (!initialized.value) return 'unknown';
    return isAuthenticated.value ? 'signed-in' : 'guest';
  });

  function applySession(session: AuthSession): void {
    user.value = session.user;
    accessToken.value = session.accessToken;
    notice.value = null;
    writeHint(true);
  }

  function clear(): void {
    user.value = null;
    accessToken.value = null;
    writeHint(false);
  }

  let refreshing: Promise<boolean> | null = null;

  /** Single flight: every caller that hits a 401 at the same time waits for one refresh. */
  function refresh(): Promise<boolean> {
    refreshing ??= withRefreshLock(async () => {
      try {
        applySession(await api.auth.refresh());
        markRefresh(false);
        return true;
      } catch (error) {
        user.value = null;
        accessToken.value = null;
        // Only the server's answer ends the session for good. A network failure, or a reload
        // aborting this call, keeps the hint (and the in-flight mark) so the next load retries.
        if (isApiError(error) && error.status > 0) {
          markRefresh(false);
          writeHint(false);
        }
        return false;
      }
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  let initializing: Promise<void> | null = null;

  /** Restores the session from the refresh cookie once per page load. */
  function init(): Promise<void> {
    initializing ??= (async () => {
      if (readHint()) await refresh();
      initialized.value = true;
    })();
    return initializing;
  }

  async function login(body: LoginBody): Promise<User> {
    const session = await api.auth.login(body);
    applySession(session);
    return session.user;
  }

  async function signup(body: SignupBody): Promise<User> {
    const session = await api.auth.signup(body);
    applySession(session);
    return session.user;
  }

  async function logout(): Promise<void> {
    try {
      if (accessToken.value) await api.auth.logout();
    } catch {
      // The server may already consider the session gone; locally it ends either way.
    } finally {
      clear();
    }
  }

  /** Ends the session because the server said so (deactivated, refresh failed). */
  function endSession(message: string): void {
    clear();
    notice.value = message;
  }

  async function reload(): Promise<User> {
    const fresh = await api.me.get();
    user.value = fresh;
    return fresh;
  }

  function setUser(next: User): void {
    user.value = next;
  }

  /** Saves the person's own name and profile; errors are thrown for the form. */
  async function updateMe(body: UpdateMeBody): Promise<User> {
    const updated = await api.me.update(body);
    user.value = updated;
    return updated;
  }

  /** Changes the password; the server ends the person's other sessions. Errors are for the form. */
  async function changePassword(body: ChangePasswordBody): Promise<void> {
    await api.me.changePassword(body);
  }

  async function uploadAvatar(file: File): Promise<User> {
    const updated = await api.me.uploadAvatar(file);
    user.value = updated;
    return updated;
  }

  return {
    user,
    accessToken,
    notice,
    initialized,
    isAuthenticated,
    role,
    isPendingSponsor,
    isFlagged,
    status,
    init,
    refresh,
    login,
    signup,
    logout,
    endSession,
    reload,
    setUser,
    updateMe,
    changePassword,
    uploadAvatar,
  };
});
