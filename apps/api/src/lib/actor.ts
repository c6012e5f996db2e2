import type { Role, UserStatus } from '@iescp/shared';

/** Who is calling, as read from the database on this very request. */
export interface Actor {
  id: string;
  role: Role;
  status: UserStatus;
  /** Flagged by a moderator: may read and finish accepted deals, but start nothing (accounts.policy). */
  flagged: boolean;
}

/** The actor behind an access token, and whether the token's login session is still open. */
export interface SessionActor {
  actor: Actor;
  sessionOpen: boolean;
}
