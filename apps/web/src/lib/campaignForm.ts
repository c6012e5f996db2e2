/**
 * How the campaign form holds a campaign (strings while typing, the budget in the currency's
 * main unit) and the conversions to the API's create and update bodies.
 */
import type { CampaignVisibility, Niche } from '@iescp/shared';
import type { ApplyProblemOptions } from '@/api/errors';
import type { Campaign, CreateCampaignBody, UpdateCampaignBody } from '@/api/types';
import { centsToDollars, dollarsToCents } from './format';

export interface CampaignFormValues {
  name: string;
  description: string;
  niche: Niche | '';
  goals: string;
  startDate: string;
  endDate: string;
  /** Dollars, as typed. */
  budget: string;
  visibility: CampaignVisibility;
}

export function campaignFormValues(campaign?: Campaign | null): CampaignFormValues {
  return {
    name: campaign?.name ?? '',
    description: campaign?.description ?? '',
    niche: campaign?.niche ?? '',
    goals: campaign?.goals ?? '',
    startDate: campaign?.startDate ?? '',
    endDate: campaign?.endDate ?? '',
    budget: centsToDollars(campaign?.budgetCents),
    // Public unless chosen otherwise: a private campaign is found only by creators it invites.
    visibility: campaign?.visibility ?? 'public',
  };
}

export function toCreateBody(values: CampaignFormValues): CreateCampaignBody {
  const description = values.description.trim();
  const goals = values.goals.trim();
  return {
    name: values.name.trim(),
    ...(description ? { description } : {}),
    niche: values.niche as Niche,
    ...(goals ? { goals } : {}),
    startDate: values.startDate,
    endDate: values.endDate,
    budgetCents: dollarsToCents(values.budget) ?? 0,
    visibility: values.visibility,
  };
}

/**
 * Only what differs from the saved campaign: the server re-checks every field it is sent (an
 * unchanged end date of an ended campaign would be refused as "in the past").
 */
export function toUpdateBody(values: CampaignFormValues, saved: Campaign): UpdateCampaignBody {
  const next = toCreateBody(values);
  const body: UpdateCampaignBody = {};
  if (next.name !== saved.name) body.name = next.name;
  if ((next.description ?? '') !== saved.description) body.description = next.description ?? '';
  if (next.niche !== saved.niche) body.niche = next.niche;
  if ((next.goals ?? '') !== saved.goals) body.goals = next.goals ?? '';
  if (next.startDate !== saved.startDate) body.startDate = next.startDate;
  if (next.endDate !== saved.endDate) body.endDate = next.endDate;
  if (next.budgetCents !== saved.budgetCents) body.budgetCents = next.budgetCents;
  if (next.visibility !== saved.visibility) body.visibility = next.visibility;
  return body;
}

/** Which server error paths have a field on the campaign form, and where the renamed ones live. */
export const CAMPAIGN_ERROR_FIELDS: ApplyProblemOptions['fields'] = [
  'name',
  'description',
  'niche',
  'goals',
  'startDate',
  'endDate',
  'budget',
  'visibility',
];

export const CAMPAIGN_ERROR_ALIASES: Readonly<Record<string, string>> = { budgetCents: 'budget' };
