/** Rules of the AWS accounts the fleet runs in. */
import { AccountSpec } from '../model/spec.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkEach, earlierWithSameKey, listShape, Rule } from './rule-table.js';
import { AWS_ACCOUNT_ID, dnsLabelProblem, isString } from './rules.js';

type AccountContext = FleetContext & { readonly earlierSameId: ReadonlyMap<number, number> };

/** `accounts[i]`: one account. */
const ACCOUNT: readonly Rule<AccountSpec, AccountContext>[] = [
  { field: 'name', check: (a) => dnsLabelProblem(a.name) },
  { field: 'name', check: (a, ctx, i) => ctx.accounts.earlierSameName.has(i) && `account "${a.name}" is defined twice` },
  { field: 'id', check: (a) => !(isString(a.id) && AWS_ACCOUNT_ID.test(a.id)) && `"${a.id}" is not a 12-digit AWS account id` },
  { field: 'id', check: (a, ctx, i) => ctx.earlierSameId.has(i) && `account id ${a.id} is already used by accounts[${ctx.earlierSameId.get(i)}]` },
  { field: 'kind', check: (a) => a.kind !== 'central' && a.kind !== 'tenant' && `"${a.kind}" is not an account kind; use "central" or "tenant"` },
];

export function accountProblems(ctx: FleetContext): FieldProblem[] {
  const earlierSameId = earlierWithSameKey(ctx.accounts.items, (a) => a.id);
  return [...listShape('accounts', ctx.spec.accounts, 'accounts'), ...checkEach('accounts', ctx.accounts.items, ACCOUNT, { ...ctx, earlierSameId })];
}
