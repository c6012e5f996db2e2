import { describe, expect, it } from 'vitest';
import type { Campaign } from '@/api/types';
import { campaignFormValues, toCreateBody } from './campaignForm';
import { inviteCreatorsRoute, showsInviteCallout } from './campaigns';

describe('campaignFormValues', () => {
  it('starts a new campaign as public, so creators can find it', () => {
    expect(campaignFormValues().visibility).toBe('public');
    expect(campaignFormValues(null).visibility).toBe('public');
    expect(toCreateBody({ ...campaignFormValues(), niche: 'food' }).visibility).toBe('public');
  });

  it('keeps the visibility of a saved campaign', () => {
    expect(campaignFormValues({ visibility: 'private' } as Campaign).visibility).toBe('private');
  });
});

describe('inviteCreatorsRoute', () => {
  it('opens Find influencers filtered to the campaign’s niche', () => {
    expect(inviteCreatorsRoute({ niche: 'sports' })).toEqual({ name: 'influencers', query: { niche: 'sports' } });
  });
});

describe('showsInviteCallout', () => {
  const campaign = {
    status: 'active',
    flagged: false,
    abilities: { edit: true, delete: true, flag: false, apply: false },
  } as const;

  it('asks the owner of a campaign without ad requests to invite creators', () => {
    expect(showsInviteCallout(campaign, true, 0)).toBe(true);
    expect(showsInviteCallout({ ...campaign, status: 'upcoming' }, true, 0)).toBe(true);
  });

  it('stays away once there are requests, while they load, and for others, ended or flagged campaigns', () => {
    expect(showsInviteCallout(campaign, true, 1)).toBe(false);
    expect(showsInviteCallout(campaign, true, null)).toBe(false);
    expect(showsInviteCallout(campaign, false, 0)).toBe(false);
    expect(showsInviteCallout({ ...campaign, status: 'ended' }, true, 0)).toBe(false);
    expect(showsInviteCallout({ ...campaign, flagged: true }, true, 0)).toBe(false);
    expect(showsInviteCallout({ ...campaign, abilities: { ...campaign.abilities, edit: false } }, true, 0)).toBe(false);
  });
});
