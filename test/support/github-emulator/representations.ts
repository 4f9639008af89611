/**
 * Renders state records as the JSON GitHub's REST API returns, with every field the
 * OpenAPI description requires (the response validator holds these to the description).
 */
import type { CommentRecord, IssueRecord, LabelRecord, PullFileRecord, RepoRecord, ReviewRecord, StatusRecord, UserRecord } from "./state.js";

/** Where links point: `api` is the emulator's base URL, `web` the github.com-like server URL. */
export interface Urls {
  api: string;
  web: string;
}

/** A GraphQL-style global node id, e.g. `IC_kwDOMjAyNzAwMDAwMDA3`. */
export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString("base64url")}`;
}

/** The numeric id inside a node id made by {@link nodeId}, if it has that prefix. */
export function parseNodeId(prefix: string, value: string): number | undefined {
  const head = `${prefix}_kwDO`;
  if (!value.startsWith(head)) return undefined;
  const id = Number(Buffer.from(value.slice(head.length), "base64url").toString());
  return Number.isSafeInteger(id) ? id : undefined;
}

/** `simple-user`. */
export function renderUser(urls: Urls, user: UserRecord): Record<string, unknown> {
  // GitHub percent-encodes bot logins in URLs: /users/github-actions%5Bbot%5D.
  const api = `${urls.api}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "BOT" : user.type === "Organization" ? "O" : "U", user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: user.type === "Bot" ? `${urls.web}/apps/${user.login.replace(/\[bot\]$/, "")}` : `${urls.web}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** `minimal-repository` fields; `repository` and `full-repository` add to it. */
export function renderMinimalRepo(urls: Urls, repo: RepoRecord): Record<string, unknown> {
  const fullName = `${repo.owner.login}/${repo.name}`;
  const api = `${urls.api}/repos/${fullName}`;
  return {
    id: repo.id,
    node_id: nodeId("R", repo.id),
    name: repo.name,
    full_name: fullName,
    private: repo.private,
    owner: renderUser(urls, repo.owner),
    html_url: `${urls.web}/${fullName}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${new URL(urls.web).host}/${fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${new URL(urls.web).host}:${fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${urls.web}/${fullName}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: `${urls.web}/${fullName}`,
    homepage: null,
    language: "TypeScript",
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 128,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssueCount(repo),
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? "private" : "public",
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
  };
}

function openIssueCount(repo: RepoRecord): number {
  let count = 0;
  for (const issue of repo.issues.values()) if (issue.state === "open") count += 1;
  return count;
}

/** `repository` (as embedded in a pull request's head and base). */
export function renderRepo(urls: Urls, repo: RepoRecord): Record<string, unknown> {
  return {
    ...renderMinimalRepo(urls, repo),
    forks: 0,
    open_issues: openIssueCount(repo),
    watchers: 0,
    license: null,
    allow_forking: true,
    web_commit_signoff_required: false,
  };
}

/** `full-repository`, as `GET /repos/{owner}/{repo}` returns it; `permissions` are the caller's. */
export function renderFullRepo(urls: Urls, repo: RepoRecord, permissions: Record<string, boolean>): Record<string, unknown> {
  return {
    ...renderRepo(urls, repo),
    permissions,
    network_count: 0,
    subscribers_count: 1,
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_update_branch: false,
  };
}

/** `label`. */
export function renderLabel(urls: Urls, repo: RepoRecord, label: LabelRecord): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId("LA", label.id),
    url: `${urls.api}/repos/${repo.owner.login}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: null,
    color: label.color,
    default: false,
  };
}

/** Author association of a user on a repository. */
export function authorAssociation(repo: RepoRecord, user: UserRecord): string {
  if (user.login.toLowerCase() === repo.owner.login.toLowerCase()) return "OWNER";
  if (repo.collaborators.has(user.login.toLowerCase())) return "COLLABORATOR";
  return user.type === "Bot" ? "NONE" : "CONTRIBUTOR";
}

function reactions(url: string): Record<string, unknown> {
  return { url: `${url}/reactions`, total_count: 0, "+1": 0, "-1": 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0 };
}

/** `issue` (pull requests appear as issues with a `pull_request` key, as on GitHub). */
export function renderIssue(urls: Urls, repo: RepoRecord, issue: IssueRecord): Record<string, unknown> {
  const repoApi = `${urls.api}/repos/${repo.owner.login}/${repo.name}`;
  const api = `${repoApi}/issues/${issue.number}`;
  const web = `${urls.web}/${repo.owner.login}/${repo.name}/${issue.pull === undefined ? "issues" : "pull"}/${issue.number}`;
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length;
  return {
    id: issue.id,
    node_id: nodeId(issue.pull === undefined ? "I" : "PR", issue.id),
    url: api,
    repository_url: repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: web,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: renderUser(urls, issue.user),
    labels: issue.labels.map((label) => renderLabel(urls, repo, label)),
    assignee: issue.assignees[0] === undefined ? null : renderUser(urls, issue.assignees[0]),
    assignees: issue.assignees.map((user) => renderUser(urls, user)),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments,
    ...(issue.pull === undefined
      ? {}
      : {
          pull_request: {
            url: `${repoApi}/pulls/${issue.number}`,
            html_url: web,
            diff_url: `${web}.diff`,
            patch_url: `${web}.patch`,
            merged_at: null,
          },
          draft: issue.pull.draft,
        }),
    closed_at: issue.closedAt,
    closed_by: issue.closedBy === null ? null : renderUser(urls, issue.closedBy),
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: authorAssociation(repo, issue.user),
    reactions: reactions(api),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
  };
}

/** `pull-request`. */
export function renderPull(urls: Urls, repo: RepoRecord, headRepo: RepoRecord, issue: IssueRecord): Record<string, unknown> {
  const pull = issue.pull;
  if (pull === undefined) throw new Error(`#${issue.number} is not a pull request`);
  const repoApi = `${urls.api}/repos/${repo.owner.login}/${repo.name}`;
  const api = `${repoApi}/pulls/${issue.number}`;
  const web = `${urls.web}/${repo.owner.login}/${repo.name}/pull/${issue.number}`;
  const files = pull.files;
  const branch = (ref: string, sha: string, owner: RepoRecord): Record<string, unknown> => ({
    label: `${owner.owner.login}:${ref}`,
    ref,
    sha,
    user: renderUser(urls, owner.owner),
    repo: renderRepo(urls, owner),
  });
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length;
  return {
    url: api,
    id: pull.id,
    node_id: nodeId("PR", pull.id),
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: `${repoApi}/issues/${issue.number}`,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${repoApi}/issues/${issue.number}/comments`,
    statuses_url: `${repoApi}/statuses/${pull.head.sha}`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: renderUser(urls, issue.user),
    body: issue.body,
    labels: issue.labels.map((label) => renderLabel(urls, repo, label)),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    assignee: issue.assignees[0] === undefined ? null : renderUser(urls, issue.assignees[0]),
    assignees: issue.assignees.map((user) => renderUser(urls, user)),
    requested_reviewers: [],
    requested_teams: [],
    head: branch(pull.head.ref, pull.head.sha, headRepo),
    base: branch(pull.base.ref, pull.base.sha, repo),
    _links: {
      self: { href: api },
      html: { href: web },
      issue: { href: `${repoApi}/issues/${issue.number}` },
      comments: { href: `${repoApi}/issues/${issue.number}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repoApi}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${repoApi}/statuses/${pull.head.sha}` },
    },
    author_association: authorAssociation(repo, issue.user),
    auto_merge: null,
    draft: pull.draft,
    merged: pull.merged,
    mergeable: true,
    rebaseable: true,
    mergeable_state: "clean",
    merged_by: null,
    comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: files.reduce((sum, f) => sum + f.additions, 0),
    deletions: files.reduce((sum, f) => sum + f.deletions, 0),
    changed_files: files.length,
  };
}

/** `diff-entry`. */
export function renderFile(urls: Urls, repo: RepoRecord, headSha: string, file: PullFileRecord): Record<string, unknown> {
  const path = file.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${urls.web}/${repo.owner.login}/${repo.name}/blob/${headSha}/${path}`,
    raw_url: `${urls.web}/${repo.owner.login}/${repo.name}/raw/${headSha}/${path}`,
    contents_url: `${urls.api}/repos/${repo.owner.login}/${repo.name}/contents/${path}?ref=${headSha}`,
    ...(file.patch === undefined ? {} : { patch: file.patch }),
    ...(file.previousFilename === undefined ? {} : { previous_filename: file.previousFilename }),
  };
}

/** `pull-request-review`. */
export function renderReview(urls: Urls, repo: RepoRecord, number: number, review: ReviewRecord): Record<string, unknown> {
  const pullApi = `${urls.api}/repos/${repo.owner.login}/${repo.name}/pulls/${number}`;
  const web = `${urls.web}/${repo.owner.login}/${repo.name}/pull/${number}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: nodeId("PRR", review.id),
    user: renderUser(urls, review.user),
    body: review.body,
    state: review.state,
    html_url: web,
    pull_request_url: pullApi,
    author_association: authorAssociation(repo, review.user),
    _links: { html: { href: web }, pull_request: { href: pullApi } },
    ...(review.state === "PENDING" ? {} : { submitted_at: review.submittedAt }),
    commit_id: review.commitId,
  };
}

/** `issue-comment`. */
export function renderComment(urls: Urls, repo: RepoRecord, comment: CommentRecord): Record<string, unknown> {
  const repoApi = `${urls.api}/repos/${repo.owner.login}/${repo.name}`;
  const isPull = repo.issues.get(comment.issueNumber)?.pull !== undefined;
  const url = `${repoApi}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: nodeId("IC", comment.id),
    url,
    html_url: `${urls.web}/${repo.owner.login}/${repo.name}/${isPull ? "pull" : "issues"}/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: renderUser(urls, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${repoApi}/issues/${comment.issueNumber}`,
    author_association: authorAssociation(repo, comment.user),
    performed_via_github_app: null,
    reactions: reactions(url),
  };
}

/** `status` (with creator) or, when `simple`, `simple-commit-status` (as inside a combined status). */
export function renderStatus(urls: Urls, repo: RepoRecord, status: StatusRecord, simple = false): Record<string, unknown> {
  const common = {
    url: `${urls.api}/repos/${repo.owner.login}/${repo.name}/statuses/${status.sha}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${status.creator.id}?v=4`,
    id: status.id,
    node_id: nodeId("SC", status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
  };
  return simple ? common : { ...common, creator: renderUser(urls, status.creator) };
}
