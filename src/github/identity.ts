import { failureStatus, toApiError, type GitHubClient } from './client.js';

/**
 * Whose comments are ours. A personal access token acts as its user, whom `GET /user` names; an
 * installation token (GITHUB_TOKEN, a GitHub App's) acts as the app's bot, and `GET /user`
 * refuses it, so then any bot account's comment counts (the app's login is not readable with
 * its own installation token).
 */
export type TokenIdentity = { kind: 'user'; login: string } | { kind: 'app-bot' };

export async function tokenIdentity(
  client: GitHubClient,
  context: { token: string; apiUrl: string },
): Promise<TokenIdentity> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return { kind: 'user', login: data.login };
  } catch (error) {
    const status = failureStatus(error);
    if (status === 401 || status === 403 || status === 404) return { kind: 'app-bot' };
    // Guessing here could update someone else's comment or post a duplicate: fail instead.
    throw toApiError('identify the token owner (GET /user)', error, context);
  }
}

export interface CommentAuthorFields {
  user?: { login?: string; type?: string } | null;
}

export function writtenBy(comment: CommentAuthorFields, identity: TokenIdentity): boolean {
  if (identity.kind === 'app-bot') return comment.user?.type === 'Bot';
  return comment.user?.login?.toLowerCase() === identity.login.toLowerCase();
}
