/**
 * Rules of Argo CD's single sign-on and RBAC (`argocd.sso`, `argocd.adminGroups`): the provider fits the
 * mode (OIDC for self-managed, IAM Identity Center for the EKS capability), URLs are https, the client
 * secret is a reference Argo CD resolves and never a value, and groups are non-empty, fit a policy.csv
 * line, and no team's group is an admin group.
 */
import type { ArgoCdIdentityCenter, ArgoCdOidc } from '../model/spec.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkItem, problem, records, Rule } from './rule-table.js';
import { AWS_REGION, isRecord, isString, kindOf } from './rules.js';

/** `https://host[/path]` without whitespace, credentials, query or fragment. */
const HTTPS_URL = /^https:\/\/[^\s/@?#]+(\/[^\s?#]*)?$/;
/** Argo CD's reference to a secret value: `$oidc.clientSecret` (a key of argocd-secret) or `$<secret>:<key>`. */
const SECRET_REFERENCE = /^\$([a-z0-9]([-a-z0-9.]*[a-z0-9])?:)?[-._a-zA-Z0-9]+$/;
/** An Identity Center instance (the IAM Identity Center API's pattern). */
const IDC_INSTANCE_ARN = /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
/** A scope or claim name: no whitespace, commas, quotes or brackets. */
const TOKEN = /^[^\s,"'[\]]+$/;

/** Why a group cannot be written into a policy.csv line, or undefined. */
export function groupProblem(group: unknown): string | undefined {
  if (!isString(group) || group.trim() === '') return `must be a non-empty group name, got ${isString(group) ? JSON.stringify(group) : kindOf(group)}`;
  if (group !== group.trim() || /[,\n\r"#]/.test(group)) return `"${group}" cannot be written into Argo CD's policy.csv: no commas, quotes, '#', line breaks or surrounding spaces`;
  return undefined;
}

const httpsProblem = (value: unknown, what: string): string | false =>
  !(isString(value) && HTTPS_URL.test(value)) && `must be the ${what} as an https:// URL, got ${isString(value) ? JSON.stringify(value) : kindOf(value)}`;

const OIDC: readonly Rule<ArgoCdOidc, FleetContext>[] = [
  { field: 'url', check: (o) => httpsProblem(o.url, "external URL of Argo CD (the provider redirects to <url>/auth/callback)") },
  { field: 'name', check: (o) => o.name !== undefined && !(isString(o.name) && o.name.trim() !== '') && `must be a non-empty name, got ${JSON.stringify(o.name)}` },
  { field: 'issuer', check: (o) => httpsProblem(o.issuer, 'OIDC issuer') },
  { field: 'clientId', check: (o) => !(isString(o.clientId) && o.clientId.trim() !== '' && !/\s/.test(o.clientId)) && `must be the OAuth client id registered for Argo CD, got ${isString(o.clientId) ? JSON.stringify(o.clientId) : kindOf(o.clientId)}` },
  {
    field: 'clientSecret',
    // Never repeat what was given: it may be the secret itself.
    check: (o) => !(isString(o.clientSecret) && SECRET_REFERENCE.test(o.clientSecret))
      && `must be a reference Argo CD resolves, "$oidc.clientSecret" (a key of argocd-secret) or "$<secret>:<key>" (a Secret in Argo CD's namespace labelled app.kubernetes.io/part-of: argocd, made by External Secrets), never the secret itself (got ${isString(o.clientSecret) ? `a string of ${o.clientSecret.length} characters` : kindOf(o.clientSecret)}); if it was a secret, rotate it`,
  },
  (o, at) => {
    if (o.requestedScopes === undefined) return [];
    if (!Array.isArray(o.requestedScopes)) return [problem(`${at}.requestedScopes`, `must be a list of scopes, got ${kindOf(o.requestedScopes)}`)];
    const out = o.requestedScopes.flatMap((s, i) => (isString(s) && TOKEN.test(s) ? [] : [problem(`${at}.requestedScopes[${i}]`, `must be a scope name, got ${JSON.stringify(s)}`)]));
    if (!o.requestedScopes.includes('openid')) out.push(problem(`${at}.requestedScopes`, 'must include "openid"'));
    return out;
  },
  { field: 'groupsClaim', check: (o) => o.groupsClaim !== undefined && !(isString(o.groupsClaim) && TOKEN.test(o.groupsClaim)) && `must be a claim name like "groups", got ${JSON.stringify(o.groupsClaim)}` },
];

const IDENTITY_CENTER: readonly Rule<ArgoCdIdentityCenter, FleetContext>[] = [
  {
    field: 'instanceArn',
    check: (c) => !(isString(c.instanceArn) && IDC_INSTANCE_ARN.test(c.instanceArn)) && `must be the IAM Identity Center instance ARN (arn:aws:sso:::instance/ssoins-<16 characters>), got ${JSON.stringify(c.instanceArn)}`,
  },
  { field: 'region', check: (c) => !(isString(c.region) && AWS_REGION.test(c.region)) && `must be the AWS region of the Identity Center instance, got ${JSON.stringify(c.region)}` },
];

export function argoCdSsoProblems(ctx: FleetContext): FieldProblem[] {
  const argocd = ctx.spec.argocd;
  const out: FieldProblem[] = [];
  const sso = argocd?.sso;
  if (sso !== undefined) {
    if (!isRecord(sso)) return [problem('argocd.sso', `must be an object { oidc } or { identityCenter }, got ${kindOf(sso)}`)];
    if (ctx.mode === 'self-managed') {
      if (sso.identityCenter !== undefined) out.push(problem('argocd.sso.identityCenter', 'IAM Identity Center is the EKS Argo CD capability\'s sign-in; self-managed Argo CD uses an OIDC provider: give sso.oidc, or use mode "eks-capability"'));
      if (sso.oidc === undefined) out.push(problem('argocd.sso.oidc', 'is missing; self-managed Argo CD signs in through an OIDC provider: give { url, issuer, clientId, clientSecret }'));
    } else if (ctx.mode === 'eks-capability') {
      if (sso.oidc !== undefined) out.push(problem('argocd.sso.oidc', 'the EKS Argo CD capability signs in through IAM Identity Center only: remove sso.oidc and give sso.identityCenter { instanceArn, region }'));
      if (sso.identityCenter === undefined) out.push(problem('argocd.sso.identityCenter', 'is missing; the EKS Argo CD capability signs in through IAM Identity Center: give { instanceArn, region }'));
    }
    if (sso.oidc !== undefined) {
      out.push(...(isRecord(sso.oidc) ? checkItem(sso.oidc, 'argocd.sso.oidc', OIDC, ctx) : [problem('argocd.sso.oidc', `must be an object, got ${kindOf(sso.oidc)}`)]));
    }
    if (sso.identityCenter !== undefined) {
      out.push(...(isRecord(sso.identityCenter) ? checkItem(sso.identityCenter, 'argocd.sso.identityCenter', IDENTITY_CENTER, ctx) : [problem('argocd.sso.identityCenter', `must be an object, got ${kindOf(sso.identityCenter)}`)]));
    }
  }
  const admins = argocd?.adminGroups;
  if (admins !== undefined) {
    if (!Array.isArray(admins)) return [...out, problem('argocd.adminGroups', `must be a list of group names, got ${kindOf(admins)}`)];
    if (sso === undefined && admins.length > 0) out.push(problem('argocd.adminGroups', 'admin groups need single sign-on: give argocd.sso'));
    const seen = new Map<unknown, number>();
    admins.forEach((g, i) => {
      const bad = groupProblem(g);
      if (bad) out.push(problem(`argocd.adminGroups[${i}]`, bad));
      else if (seen.has(g)) out.push(problem(`argocd.adminGroups[${i}]`, `"${g}" is already listed at argocd.adminGroups[${seen.get(g)}]`));
      else seen.set(g, i);
    });
  }
  if (sso !== undefined) {
    // Team groups go into policy.csv (self-managed) and AppProject roles; none may be an admin group.
    const adminSet = new Set(Array.isArray(admins) ? admins : []);
    for (const [team, i] of records(ctx.spec.teams)) {
      if (!isString(team.group) || team.group.trim() === '') continue; // teams.ts reports it
      const bad = groupProblem(team.group);
      if (bad) out.push(problem(`teams[${i}].group`, bad));
      else if (adminSet.has(team.group)) {
        out.push(problem(`teams[${i}].group`, `"${team.group}" is an admin group (argocd.adminGroups): its members would be Argo CD admins, not only team ${isString(team.name) ? `"${team.name}"` : i}; give the team a group of its own`));
      }
    }
  }
  return out;
}
